"""The member area: invoices, their PDFs and receipts, and how to pay. Thin: selectors read,
the provider starts a payment. Only seats of the invoice's organization see it (404 otherwise).
Every page and PDF here is `never_cache` (Cache-Control: private, no-store, …): an invoice
must not stay in a shared computer's browser cache or in a proxy after the member leaves
(the Wagtail admin's own screens already send it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from membership.selectors import organization_for_user, user_can_manage_organization

from . import documents
from .models import InvoiceStatus
from .providers import get_provider
from .selectors import invoice_for_user, invoices_for_user, organization_credit_balance


def _invoice_or_404(request: HttpRequest, pk: int):
    invoice = invoice_for_user(user=request.user, pk=pk)
    if invoice is None:
        raise Http404
    return invoice


def _language() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


@never_cache
@login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    organization = organization_for_user(user=request.user)
    return render(
        request,
        "billing/invoice_list.html",
        {
            "organization": organization,
            "invoices": invoices_for_user(user=request.user),
            "credit_balance": organization_credit_balance(organization=organization) if organization else 0,
        },
    )


@never_cache
@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice_or_404(request, pk)
    provider = get_provider()
    return render(
        request,
        "billing/invoice_detail.html",
        {
            **documents.document_context(invoice=invoice),
            "can_pay": user_can_manage_organization(user=request.user, organization=invoice.organization),
            "card_payment": provider.supports_checkout and invoice.status == InvoiceStatus.OPEN,
            "credit_balance": organization_credit_balance(organization=invoice.organization),
            "credit_notes": list(invoice.credit_notes.all()),
        },
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice_or_404(request, pk)
    lang = _language()
    return _pdf(documents.invoice_pdf(invoice=invoice, language=lang), f"invoice-{invoice.number}-{lang}.pdf")


@never_cache
@login_required
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice_or_404(request, pk)
    if invoice.status != InvoiceStatus.PAID:
        raise Http404
    lang = _language()
    return _pdf(documents.receipt_pdf(invoice=invoice, language=lang), f"receipt-{invoice.number}-{lang}.pdf")


@login_required
@require_POST
def invoice_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a card payment (Stripe Checkout). Owners and admins only."""
    invoice = _invoice_or_404(request, pk)
    detail = reverse("billing:invoice-detail", args=[invoice.pk])
    if not user_can_manage_organization(user=request.user, organization=invoice.organization):
        messages.error(request, _("Only the owner or an administrator of your organization can pay invoices."))
        return HttpResponseRedirect(detail)
    provider = get_provider()
    url = None
    if provider.supports_checkout:
        try:
            url = provider.checkout_url(
                invoice=invoice,
                success_url=request.build_absolute_uri(detail) + "?paid=1",
                cancel_url=request.build_absolute_uri(detail),
                language=_language(),
            )
        except Exception:  # the card service is down or refused: say so, never a 500
            url = None
            messages.error(request, _("The card payment service could not be reached. Please try again later."))
            return HttpResponseRedirect(detail)
    if not url:
        messages.info(request, _("This invoice cannot be paid by card now. Please pay by bank transfer."))
        return HttpResponseRedirect(detail)
    return HttpResponseRedirect(url)


@never_cache
@login_required
def credit_note_pdf(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    invoice = _invoice_or_404(request, pk)
    note = invoice.credit_notes.filter(pk=note_pk).first()
    if note is None:
        raise Http404
    lang = _language()
    return _pdf(documents.credit_note_pdf(note=note, language=lang), f"credit-note-{note.number}-{lang}.pdf")
