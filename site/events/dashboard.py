"""The dashboard panel of events to come, with their registrations (kyoso_core.dashboard)."""

from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from kyoso_core.dashboard import DashboardPanel, PanelItem

from .models import EventPage, EventRegistration, RegistrationStatus


class UpcomingEventsPanel(DashboardPanel):
    name = "kyoso-upcoming-events"
    heading = _("Upcoming events")
    permission = "events.view_eventregistration"
    empty_text = _("No event is scheduled.")
    list_url_name = "event_registrations:index"

    def get_queryset(self):
        # One row per event (its page in the default language); the seats are
        # shared by its translations, so their registrations count together.
        registered = (
            EventRegistration.objects.filter(
                event__translation_key=OuterRef("translation_key"), status=RegistrationStatus.REGISTERED
            )
            .values("event__translation_key")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            EventPage.objects.live()
            .filter(start__gte=timezone.now(), locale=Locale.get_default())
            .annotate(registered=Coalesce(Subquery(registered), Value(0)))
            .order_by("start", "pk")
        )

    def get_item(self, obj) -> PanelItem:
        start = formats.date_format(timezone.localtime(obj.start), "SHORT_DATETIME_FORMAT")
        if obj.capacity:
            count = _("%(registered)s of %(capacity)s registered") % {
                "registered": obj.registered,
                "capacity": obj.capacity,
            }
        else:
            count = _("%(registered)s registered") % {"registered": obj.registered}
        return PanelItem(
            label=obj.title, url=reverse("wagtailadmin_pages:edit", args=[obj.pk]), detail=f"{start} · {count}"
        )
