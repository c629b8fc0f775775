"""Registrations in the admin: who comes to which event, exportable as CSV/XLSX."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import EventRegistration


class EventRegistrationViewSet(ModelViewSet):
    model = EventRegistration
    icon = "date"
    menu_label = _("Event registrations")
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["status"]
    list_display = ["name", "company", "email", "event", "status", "language_code", "created_at"]
    list_filter = ["status", "language_code", "event"]
    search_fields = ["name", "company", "email"]
    list_export = ["pk", "created_at", "event", "status", "name", "company", "email", "language_code"]
    export_headings = {"pk": "ID"}
    export_filename = "event-registrations"


registration_viewset = EventRegistrationViewSet("event_registrations", url_prefix="event-registrations")
