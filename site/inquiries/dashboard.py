"""The dashboard panel of inquiries not answered yet (kyoso_core.dashboard)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kyoso_core.dashboard import DashboardPanel, PanelItem

from .models import Inquiry, InquiryStatus


class NewInquiriesPanel(DashboardPanel):
    name = "kyoso-new-inquiries"
    heading = _("New inquiries")
    permission = "inquiries.change_inquiry"
    empty_text = _("No new inquiry.")
    list_url_name = "inquiries:index"
    list_query = "status=new"

    def get_queryset(self):
        return Inquiry.objects.filter(status=InquiryStatus.NEW).order_by("-created_at", "-pk")

    def get_item(self, obj) -> PanelItem:
        received = formats.date_format(timezone.localtime(obj.created_at), "SHORT_DATETIME_FORMAT")
        return PanelItem(
            label=f"{obj.company} {obj.name}",
            url=reverse("inquiries:inspect", args=[obj.pk]),
            detail=f"{obj.seed_title} · {received}",
        )
