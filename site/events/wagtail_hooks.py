"""Registers the registrations' admin screen (events.admin_views) and their permission
policy: registrations come only through the event page, which checks the seats."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from kyoso_core.admin import ServiceRecordPermissionPolicy

from .admin_views import EventRegistrationViewSet
from .dashboard import UpcomingEventsPanel
from .models import EventRegistration

register_permission_policy(EventRegistration, ServiceRecordPermissionPolicy(EventRegistration), exact_class=True)


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return EventRegistrationViewSet()


@hooks.register("construct_homepage_panels")
def add_upcoming_events_panel(request, panels):
    UpcomingEventsPanel.add_to(panels, request)
