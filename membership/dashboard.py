"""The dashboard panel of applications waiting for a decision (kyoso_core.dashboard)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kyoso_core.dashboard import DashboardPanel, PanelItem

from .models import Membership, MembershipStatus


class ApplicationsPanel(DashboardPanel):
    name = "kyoso-applications"
    heading = _("Applications waiting for screening")
    permission = "membership.decide_membership"
    empty_text = _("No application is waiting.")
    list_url_name = "membership_application:index"

    def get_queryset(self):
        return (
            Membership.objects.filter(status__in=[MembershipStatus.APPLIED, MembershipStatus.SCREENING])
            .select_related("organization", "tier")
            .order_by("applied_at", "pk")
        )

    def get_item(self, obj) -> PanelItem:
        applied = formats.date_format(timezone.localtime(obj.applied_at), "SHORT_DATE_FORMAT")
        return PanelItem(
            label=str(obj.organization),
            url=reverse("membership_application:inspect", args=[obj.pk]),
            detail=f"{obj.get_status_display()} · {obj.tier} · {applied}",
        )
