"""Billing in the Wagtail admin: one menu group with invoices (record a bank transfer,
void, mark uncollectible), payments, credit notes, the credit ledger, webhook events
(failed ones with a retry button) and tax rates. Amounts and states change only
through billing.services."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button

from . import services
from .models import (
    CreditEntry,
    CreditNote,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    TaxRate,
    WebhookEvent,
    WebhookEventStatus,
)


class ReadOnlyViewSet(ModelViewSet):
    """Listing, filters, export and inspect; no generic add/edit/delete (services write)."""

    inspect_view_enabled = True
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("usage/<int:pk>/", self.usage_view, name="usage"),
        ]


# Invoices --------------------------------------------------------------------------------


class RecordTransferForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount received (yen)"), min_value=1)
    received_on = forms.DateField(label=_("Date received"), widget=forms.DateInput(attrs={"type": "date"}))
    payer_name = forms.CharField(label=_("Payer name (as shown by the bank)"), max_length=200)
    reference = forms.CharField(
        label=_("Bank reference"),
        max_length=200,
        required=False,
        help_text=_("Optional. The same reference twice is recorded once."),
    )


class InvoiceStateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class InvoiceIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE) and self.request.user.has_perm(
            "billing.add_payment"
        ):
            buttons.append(
                Button(
                    _("Record bank transfer"),
                    url=reverse("billing_invoice:record_transfer", args=[instance.pk]),
                    icon_name="plus",
                    priority=5,
                )
            )
        if instance.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE) and self.request.user.has_perm(
            "billing.change_invoice"
        ):
            buttons.append(
                Button(
                    _("Void"), url=reverse("billing_invoice:void", args=[instance.pk]), icon_name="cross", priority=40
                )
            )
        return buttons


def _admin_page(request, *, title: str, form, invoice=None, event=None, submit: str):
    return TemplateResponse(
        request,
        "billing/admin/form.html",
        {"page_title": title, "form": form, "invoice": invoice, "event": event, "submit_label": submit},
    )


def record_transfer_view(request, pk: int):
    if not request.user.has_perm("billing.add_payment"):
        raise PermissionDenied
    invoice = get_object_or_404(Invoice, pk=pk)
    form = RecordTransferForm(
        request.POST or None, initial={"amount": invoice.amount_due, "received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        received = timezone.make_aware(
            timezone.datetime.combine(form.cleaned_data["received_on"], timezone.datetime.min.time().replace(hour=12))
        )
        try:
            payment, created = services.payment_record(
                invoice=invoice,
                amount=form.cleaned_data["amount"],
                method=PaymentMethod.BANK_TRANSFER,
                provider_reference=(f"bank:{form.cleaned_data['reference']}" if form.cleaned_data["reference"] else ""),
                received_at=received,
                payer_name=form.cleaned_data["payer_name"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            invoice.refresh_from_db()
            if not created:
                messages.warning(request, _("This bank reference was already recorded; nothing changed."))
            elif invoice.status == InvoiceStatus.PAID:
                messages.success(request, _("Transfer recorded. Invoice %(n)s is paid.") % {"n": invoice.number})
            else:
                messages.success(
                    request,
                    _("Transfer recorded. %(due)s yen is still due on invoice %(n)s.")
                    % {"due": f"{invoice.amount_due:,}", "n": invoice.number},
                )
            return redirect("billing_invoice:index")
    return _admin_page(
        request,
        title=_("Record a bank transfer for invoice %(n)s") % {"n": invoice.number},
        form=form,
        invoice=invoice,
        submit=_("Record transfer"),
    )


def void_view(request, pk: int):
    if not request.user.has_perm("billing.change_invoice"):
        raise PermissionDenied
    invoice = get_object_or_404(Invoice, pk=pk)
    form = InvoiceStateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invoice_void(invoice=invoice, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Invoice %(n)s is void.") % {"n": invoice.number})
            return redirect("billing_invoice:index")
    return _admin_page(
        request, title=_("Void invoice %(n)s") % {"n": invoice.number}, form=form, invoice=invoice, submit=_("Void")
    )


class InvoiceViewSet(ReadOnlyViewSet):
    model = Invoice
    name = "billing_invoice"
    url_prefix = "billing/invoices"
    icon = "doc-full"
    menu_label = _("Invoices")
    index_view_class = InvoiceIndexView
    list_display = ["number", "recipient_name", "issue_date", "due_date", "total", "status"]
    list_filter = ["status", "fiscal_year", "issue_date"]
    list_export = ["number", "recipient_name", "issue_date", "due_date", "subtotal", "tax_total", "total", "status"]
    search_fields = ["number", "recipient_name", "recipient_name_en"]
    search_backend_name = None

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("record-transfer/<int:pk>/", record_transfer_view, name="record_transfer"),
            path("void/<int:pk>/", void_view, name="void"),
        ]


class PaymentViewSet(ReadOnlyViewSet):
    model = Payment
    name = "billing_payment"
    url_prefix = "billing/payments"
    icon = "tick"
    menu_label = _("Payments")
    list_display = ["invoice", "amount", "method", "received_at", "payer_name", "provider_reference"]
    list_filter = ["method", "received_at"]
    list_export = ["invoice", "amount", "method", "received_at", "payer_name", "provider_reference"]


class CreditNoteViewSet(ReadOnlyViewSet):
    model = CreditNote
    name = "billing_credit_note"
    url_prefix = "billing/credit-notes"
    icon = "undo"
    menu_label = _("Credit notes")
    list_display = ["number", "invoice", "total", "tax", "issue_date", "reason"]
    list_export = ["number", "invoice", "subtotal", "tax", "total", "issue_date", "reason"]


class CreditEntryViewSet(ReadOnlyViewSet):
    model = CreditEntry
    name = "billing_credit"
    url_prefix = "billing/credit"
    icon = "order"
    menu_label = _("Credit balances")
    list_display = ["organization", "amount", "reason", "at"]
    list_filter = ["organization"]
    list_export = ["organization", "amount", "reason", "at"]


# Webhook events ----------------------------------------------------------------------------


class WebhookEventIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == WebhookEventStatus.FAILED and self.request.user.has_perm("billing.change_webhookevent"):
            buttons.append(
                Button(
                    _("Retry"),
                    url=reverse("billing_webhook_event:retry", args=[instance.pk]),
                    icon_name="rotate",
                    priority=5,
                )
            )
        return buttons


class RetryForm(forms.Form):
    pass


def retry_view(request, pk: int):
    if not request.user.has_perm("billing.change_webhookevent"):
        raise PermissionDenied
    event = get_object_or_404(WebhookEvent, pk=pk)
    form = RetryForm(request.POST or None)
    if request.method == "POST":
        # Imported here: the webhook module loads the Stripe SDK, which page-serving workers never need.
        from .webhooks import webhook_event_retry

        webhook_event_retry(event=event)
        event.refresh_from_db()
        if event.status == WebhookEventStatus.FAILED:
            messages.error(request, _("The event failed again: %(error)s") % {"error": event.last_error})
        else:
            messages.success(request, _("The event was queued again."))
        return redirect(reverse("billing_webhook_event:index") + "?status=failed")
    return _admin_page(
        request, title=_("Retry event %(id)s") % {"id": event.event_id}, form=form, event=event, submit=_("Retry")
    )


class WebhookEventViewSet(ReadOnlyViewSet):
    model = WebhookEvent
    name = "billing_webhook_event"
    url_prefix = "billing/webhook-events"
    icon = "warning"
    menu_label = _("Webhook events")
    index_view_class = WebhookEventIndexView
    list_display = ["event_id", "type", "status", "attempts", "received_at", "last_error"]
    list_filter = ["status", "type"]
    list_export = ["event_id", "type", "status", "attempts", "received_at", "processed_at", "last_error"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("retry/<int:pk>/", retry_view, name="retry")]


class TaxRateViewSet(ModelViewSet):
    model = TaxRate
    name = "billing_tax_rate"
    url_prefix = "billing/tax-rates"
    icon = "form"
    menu_label = _("Tax rates")
    form_fields = ["name_ja", "name_en", "percent", "is_default", "is_active"]
    list_display = ["name_ja", "name_en", "percent", "is_default", "is_active"]


class BillingGroup(ModelViewSetGroup):
    menu_label = _("Billing")
    menu_icon = "doc-full"
    menu_order = 300
    items = (
        InvoiceViewSet,
        PaymentViewSet,
        CreditNoteViewSet,
        CreditEntryViewSet,
        WebhookEventViewSet,
        TaxRateViewSet,
    )


@hooks.register("register_admin_viewset")
def register_billing_viewsets():
    return BillingGroup()
