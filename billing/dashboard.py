"""The dashboard panel of invoices past their due date (kyoso_core.dashboard)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kyoso_core.dashboard import DashboardPanel, PanelItem

from .models import Invoice, InvoiceStatus


class OverdueInvoicesPanel(DashboardPanel):
    name = "kyoso-overdue-invoices"
    heading = _("Invoices past due")
    # Those who record the transfers that settle them (財務CM).
    permission = "billing.add_payment"
    empty_text = _("No invoice is past due.")
    list_url_name = "billing_invoice:index"
    list_query = "status=open"

    def get_queryset(self):
        return Invoice.objects.filter(status=InvoiceStatus.OPEN, due_date__lt=timezone.localdate()).order_by(
            "due_date", "pk"
        )

    def get_item(self, obj) -> PanelItem:
        due = formats.date_format(obj.due_date, "SHORT_DATE_FORMAT")
        return PanelItem(
            label=f"{obj.number} {obj.recipient_name}",
            url=reverse("billing_invoice:inspect", args=[obj.pk]),
            detail=_("due %(date)s, ¥%(total)s")
            % {"date": due, "total": formats.number_format(obj.total, force_grouping=True)},
        )
