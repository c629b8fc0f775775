"""Billing's admin screens: one menu group with invoices (record a bank transfer,
void, mark uncollectible, issue a credit note), payments, credit notes (with their PDFs),
the credit ledger, webhook events (failed ones with a retry button) and tax rates.
Amounts and states change only through billing.services; each action that cannot be
undone shows what it will do and asks for a confirmation first. The 財務CM group holds
the permissions (billing migration 0004). Registered in wagtail_hooks.py."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button

from kyoso_core.admin import ReadOnlyViewSet, YenColumn, yen_column
from kyoso_core.exports import ExportIndexView
from kyoso_core.money import format_yen

from . import documents
from .admin_forms import CreditNoteForm, InvoiceStateForm, RecordTransferForm, RetryForm
from .models import (
    CreditEntry,
    CreditNote,
    CreditNoteSettlement,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    TaxRate,
    WebhookEvent,
    WebhookEventStatus,
)
from .providers import get_provider
from .services import credit_notes, invoices, payments

CHANGE_INVOICE = "billing.change_invoice"


# Invoices --------------------------------------------------------------------------------


def invoice_action_buttons(user, invoice: Invoice) -> list[Button]:
    """What `user` may do with `invoice` now: the listing's "More" menu and the detail page's buttons."""
    buttons = []
    settleable = invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)
    if settleable and user.has_perm("billing.add_payment"):
        buttons.append(
            Button(
                _("Record bank transfer"),
                url=reverse("billing_invoice:record_transfer", args=[invoice.pk]),
                icon_name="plus",
                priority=5,
            )
        )
    if settleable and user.has_perm(CHANGE_INVOICE):
        buttons.append(
            Button(_("Void"), url=reverse("billing_invoice:void", args=[invoice.pk]), icon_name="cross", priority=40)
        )
    if invoice.status == InvoiceStatus.OPEN and user.has_perm(CHANGE_INVOICE):
        buttons.append(
            Button(
                _("Mark uncollectible"),
                url=reverse("billing_invoice:uncollectible", args=[invoice.pk]),
                icon_name="warning",
                priority=45,
            )
        )
    if invoice.status == InvoiceStatus.PAID and user.has_perm(credit_notes.CREDIT_NOTE_PERMISSION):
        buttons.append(
            Button(
                _("Issue credit note"),
                url=reverse("billing_invoice:credit_note", args=[invoice.pk]),
                icon_name="undo",
                priority=50,
            )
        )
    return buttons


class InvoiceIndexView(ExportIndexView):
    def get_base_queryset(self):
        # What has been received, in the listing's one query (Invoice.amount_paid reads it).
        return super().get_base_queryset().annotate(_amount_paid=Sum("payments__amount", default=0))

    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + invoice_action_buttons(self.request.user, instance)


class InvoiceInspectView(InspectView):
    """The invoice as staff read it: who and what, the lines, the totals per tax rate, the
    payments, credit notes and history (times in JST), and the actions open to this user."""

    template_name = "billing/admin/invoice_inspect.html"

    def get_page_title(self):
        return _("Invoice %(n)s") % {"n": self.object.number or self.object.pk}

    def get_page_subtitle(self):
        return self.object.recipient_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = self.object
        context.update(documents.document_context(invoice=invoice))
        context.update(
            {
                "credit_notes": list(invoice.credit_notes.all()),
                "transitions": list(invoice.transitions.select_related("by").order_by("at", "pk")),
                "actions": sorted(invoice_action_buttons(self.request.user, invoice), key=lambda b: b.priority),
                "subject": invoice.subject,
            }
        )
        return context


def _admin_page(request, *, title: str, form, invoice=None, event=None, submit: str, intro: str = ""):
    return TemplateResponse(
        request,
        "billing/admin/form.html",
        {
            "page_title": title,
            "form": form,
            "invoice": invoice,
            "event": event,
            "submit_label": submit,
            "intro": intro,
        },
    )


def _confirm_page(request, *, title: str, form, invoice, consequence: str, submit: str, rows=None, details=()):
    """Step two of an action that cannot be undone: what will happen, then confirm or change."""
    return TemplateResponse(
        request,
        "billing/admin/confirm.html",
        {
            "page_title": title,
            "form": form,
            "invoice": invoice,
            "consequence": consequence,
            "submit_label": submit,
            "rows": rows or [],
            "rows_total": {k: sum(r[k] for r in rows or []) for k in ("subtotal", "tax", "total")},
            "details": details,
        },
    )


def _transfer_consequence(invoice: Invoice, amount: int) -> str:
    """What recording `amount` against `invoice` will do, as the confirmation page says it."""
    due = invoice.amount_due
    if amount < due:
        return _(
            "%(amount)s will be recorded against invoice %(n)s. %(left)s will still be due; "
            "the invoice stays open and shows as partly paid."
        ) % {"amount": format_yen(amount), "n": invoice.number, "left": format_yen(due - amount)}
    if amount == due:
        return _("%(amount)s will be recorded and invoice %(n)s will be paid in full.") % {
            "amount": format_yen(amount),
            "n": invoice.number,
        }
    return _(
        "%(amount)s will be recorded and invoice %(n)s will be paid in full; the %(over)s paid over "
        "the amount due will be kept as the organization's credit balance."
    ) % {"amount": format_yen(amount), "n": invoice.number, "over": format_yen(amount - due)}


def record_transfer_view(request, pk: int):
    if not request.user.has_perm("billing.add_payment"):
        raise PermissionDenied
    invoice = get_object_or_404(Invoice, pk=pk)
    form = RecordTransferForm(
        request.POST or None, initial={"amount": invoice.amount_due, "received_on": timezone.localdate()}
    )
    title = _("Record a bank transfer for invoice %(n)s") % {"n": invoice.number}
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST and "confirm" not in request.POST:
        data = form.cleaned_data
        return _confirm_page(
            request,
            title=title,
            form=form,
            invoice=invoice,
            consequence=_transfer_consequence(invoice, data["amount"]),
            submit=_("Record transfer"),
            details=[
                (_("Amount received"), format_yen(data["amount"])),
                (_("Date received"), data["received_on"].strftime("%Y/%m/%d")),
                (_("Payer name (as shown by the bank)"), data["payer_name"]),
                (_("Bank reference"), data["reference"] or "—"),
            ],
        )
    if request.method == "POST" and form.is_valid() and "confirm" in request.POST:
        received = timezone.make_aware(
            timezone.datetime.combine(form.cleaned_data["received_on"], timezone.datetime.min.time().replace(hour=12))
        )
        try:
            payment, created = payments.payment_record(
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
    return _admin_page(request, title=title, form=form, invoice=invoice, submit=_("Continue"))


def _state_change_view(request, pk: int, *, allowed: tuple[str, ...], action, title, consequence, submit, done):
    """Void or mark uncollectible: a reason, a confirmation, then the service (which checks
    the state again under a row lock)."""
    if not request.user.has_perm(CHANGE_INVOICE):
        raise PermissionDenied
    invoice = get_object_or_404(Invoice, pk=pk)
    if invoice.status not in allowed:
        messages.error(
            request,
            _("Invoice %(n)s is %(status)s; nothing was changed.")
            % {"n": invoice.number, "status": invoice.get_status_display()},
        )
        return redirect("billing_invoice:index")
    form = InvoiceStateForm(request.POST or None)
    title = title % {"n": invoice.number}
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        if "confirm" not in request.POST:
            return _confirm_page(
                request,
                title=title,
                form=form,
                invoice=invoice,
                consequence=consequence,
                submit=submit,
                details=[(_("Reason"), form.cleaned_data["reason"])],
            )
        try:
            action(invoice=invoice, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done % {"n": invoice.number})
            return redirect("billing_invoice:index")
    return _admin_page(request, title=title, form=form, invoice=invoice, submit=_("Continue"))


def void_view(request, pk: int):
    return _state_change_view(
        request,
        pk,
        allowed=(InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE),
        action=invoices.invoice_void,
        title=_("Void invoice %(n)s"),
        consequence=_(
            "The invoice will be cancelled: nothing is owed on it any more and it cannot be paid. "
            "Its number stays used. This cannot be undone."
        ),
        submit=_("Void the invoice"),
        done=_("Invoice %(n)s is void."),
    )


def uncollectible_view(request, pk: int):
    return _state_change_view(
        request,
        pk,
        allowed=(InvoiceStatus.OPEN,),
        action=invoices.invoice_mark_uncollectible,
        title=_("Mark invoice %(n)s uncollectible"),
        consequence=_("Collection of this invoice stops; it stays on record and can still be paid or voided later."),
        submit=_("Mark uncollectible"),
        done=_("Invoice %(n)s is marked uncollectible."),
    )


def credit_note_view(request, pk: int):
    if not request.user.has_perm(credit_notes.CREDIT_NOTE_PERMISSION):
        raise PermissionDenied
    invoice = get_object_or_404(Invoice, pk=pk)
    if invoice.status != InvoiceStatus.PAID:
        messages.error(
            request,
            _("Only a paid invoice can be credited; invoice %(n)s is %(status)s. Nothing was changed.")
            % {"n": invoice.number, "status": invoice.get_status_display()},
        )
        return redirect("billing_invoice:index")
    settlements = [(CreditNoteSettlement.BANK_REFUND.value, CreditNoteSettlement.BANK_REFUND.label)]
    if get_provider().supports_refunds:
        settlements.append((CreditNoteSettlement.STRIPE_REFUND.value, CreditNoteSettlement.STRIPE_REFUND.label))
    settlements.append((CreditNoteSettlement.CREDIT.value, CreditNoteSettlement.CREDIT.label))
    form = CreditNoteForm(
        request.POST or None,
        initial={"request_id": uuid.uuid4().hex, "settlement": CreditNoteSettlement.BANK_REFUND},
        limits=credit_notes.credit_note_limits(invoice=invoice),
        settlements=settlements,
    )
    title = _("Issue a credit note for invoice %(n)s") % {"n": invoice.number}
    if request.method == "POST" and form.is_valid() and "edit" not in request.POST:
        try:
            rows = credit_notes.credit_note_preview(invoice=invoice, amounts=form.amounts())
            if "confirm" in request.POST:
                note, created = credit_notes.credit_note_create(
                    invoice=invoice,
                    amounts=form.amounts(),
                    reason=form.cleaned_data["reason"],
                    settlement=form.cleaned_data["settlement"],
                    request_id=form.cleaned_data["request_id"],
                    by=request.user,
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if "confirm" not in request.POST:
                settlement = CreditNoteSettlement(form.cleaned_data["settlement"])
                return _confirm_page(
                    request,
                    title=title,
                    form=form,
                    invoice=invoice,
                    consequence=_(
                        "A qualified return invoice (適格返還請求書) will be issued with these amounts. "
                        "It cannot be withdrawn."
                    ),
                    submit=_("Issue the credit note"),
                    rows=rows,
                    details=[
                        (_("How the money is returned"), settlement.label),
                        (_("Reason"), form.cleaned_data["reason"]),
                    ],
                )
            if created:
                messages.success(
                    request,
                    _("Credit note %(number)s is issued (%(total)s yen returned).")
                    % {"number": note.number, "total": f"{note.total:,}"},
                )
            else:
                messages.warning(
                    request, _("Credit note %(number)s was already issued; nothing changed.") % {"number": note.number}
                )
            return redirect("billing_credit_note:index")
    return _admin_page(
        request,
        title=title,
        form=form,
        invoice=invoice,
        submit=_("Continue"),
        intro=_("Enter what is returned at each tax rate, excluding tax; the tax is worked out as on the invoice."),
    )


class InvoiceViewSet(ReadOnlyViewSet):
    model = Invoice
    name = "billing_invoice"
    url_prefix = "billing/invoices"
    icon = "doc-full"
    menu_label = _("Invoices")
    index_view_class = InvoiceIndexView
    inspect_view_class = InvoiceInspectView
    list_display = [
        "number",
        "recipient_name",
        "issue_date",
        "due_date",
        yen_column(Invoice, "total"),
        YenColumn("amount_paid", label=_("Amount paid")),
        YenColumn("amount_due", label=_("Still due")),
        # Partly paid for an open invoice with a part payment.
        Column("status_label", label=_("Status"), sort_key="status"),
    ]
    list_filter = ["status", "fiscal_year", "issue_date"]
    list_export = ["number", "recipient_name", "issue_date", "due_date", "subtotal", "tax_total", "total", "status"]
    # Exports keep plain numbers for spreadsheets; their headings say the unit.
    export_headings = {
        "subtotal": _("Subtotal (excl. tax, yen)"),
        "tax_total": _("Consumption tax (yen)"),
        "total": _("Total (incl. tax, yen)"),
    }
    search_fields = ["number", "recipient_name", "recipient_name_en"]
    search_backend_name = None

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("record-transfer/<int:pk>/", record_transfer_view, name="record_transfer"),
            path("void/<int:pk>/", void_view, name="void"),
            path("uncollectible/<int:pk>/", uncollectible_view, name="uncollectible"),
            path("credit-note/<int:pk>/", credit_note_view, name="credit_note"),
        ]


class PaymentViewSet(ReadOnlyViewSet):
    model = Payment
    name = "billing_payment"
    url_prefix = "billing/payments"
    icon = "tick"
    menu_label = _("Payments")
    list_display = [
        "invoice",
        yen_column(Payment, "amount"),
        "method",
        "received_at",
        "payer_name",
        "provider_reference",
    ]
    list_filter = ["method", "received_at"]
    list_export = ["invoice", "amount", "method", "received_at", "payer_name", "provider_reference"]


class CreditNoteIndexView(ExportIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (lang, label) in enumerate([("ja", _("PDF (Japanese)")), ("en", _("PDF (English)"))]):
            buttons.append(
                Button(
                    label,
                    url=reverse("billing_credit_note:pdf", args=[instance.pk, lang]),
                    icon_name="download",
                    priority=10 + priority,
                )
            )
        return buttons


def credit_note_pdf_view(request, pk: int, lang: str):
    if not request.user.has_perm("billing.view_creditnote"):
        raise PermissionDenied
    if lang not in ("ja", "en"):
        raise Http404
    note = get_object_or_404(CreditNote.objects.select_related("invoice", "tax_rate"), pk=pk)
    response = HttpResponse(documents.credit_note_pdf(note=note, language=lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="credit-note-{note.number}-{lang}.pdf"'
    return response


class CreditNoteViewSet(ReadOnlyViewSet):
    model = CreditNote
    name = "billing_credit_note"
    url_prefix = "billing/credit-notes"
    icon = "undo"
    menu_label = _("Credit notes")
    index_view_class = CreditNoteIndexView
    list_display = [
        "number",
        "invoice",
        yen_column(CreditNote, "total"),
        yen_column(CreditNote, "tax"),
        "settlement",
        "issue_date",
        "reason",
    ]
    list_filter = ["settlement", "issue_date"]
    list_export = ["number", "invoice", "subtotal", "tax", "total", "settlement", "issue_date", "reason"]
    export_headings = {
        "subtotal": _("Amount returned (excl. tax, yen)"),
        "tax": _("Tax returned (yen)"),
        "total": _("Total returned (incl. tax, yen)"),
    }

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("pdf/<int:pk>/<str:lang>/", credit_note_pdf_view, name="pdf"),
        ]


class CreditEntryViewSet(ReadOnlyViewSet):
    model = CreditEntry
    name = "billing_credit"
    url_prefix = "billing/credit"
    icon = "order"
    menu_label = _("Credit balances")
    list_display = ["organization", yen_column(CreditEntry, "amount"), "reason", "at"]
    list_filter = ["organization"]
    list_export = ["organization", "amount", "reason", "at"]


# Webhook events ----------------------------------------------------------------------------


class WebhookEventIndexView(ExportIndexView):
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
