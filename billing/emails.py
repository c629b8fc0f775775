"""E-mails to the recipient organization: Japanese first, English second, in one message."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from membership.app_settings import app_settings as membership_settings

from .models import Invoice


def _absolute(path: str) -> str:
    return membership_settings.SITE_URL + path


def _bilingual(template: str, context: dict) -> tuple[str, str]:
    from .services.issuer import issuer_settings

    parts, subjects = [], []
    for language in ("ja", "en"):
        with translation.override(language):
            ctx = {
                **context,
                "issuer": issuer_settings(),
                "detail_url": _absolute(reverse("billing:invoice-detail", args=[context["invoice"].pk])),
                "receipt_url": _absolute(reverse("billing:receipt-pdf", args=[context["invoice"].pk])),
                "pdf_url": _absolute(reverse("billing:invoice-pdf", args=[context["invoice"].pk])),
            }
            text = render_to_string(template, ctx).strip()
            subject, _, body = text.partition("\n")
            subjects.append(subject.strip())
            parts.append(body.strip())
    return " / ".join(subjects), "\n\n----------------------------------------\n\n".join(parts) + "\n"


def _send(invoice: Invoice, template: str, **context) -> None:
    subject, body = _bilingual(template, {"invoice": invoice, **context})
    to = [invoice.organization.billing_contact_email]
    EmailMessage(subject=subject, body=body, to=to).send()


def send_invoice_issued(*, invoice: Invoice) -> None:
    _send(invoice, "billing/email/invoice_issued.txt")


def send_payment_received(*, invoice: Invoice) -> None:
    _send(invoice, "billing/email/payment_received.txt")


def send_credit_note_issued(*, note) -> None:
    _send(note.invoice, "billing/email/credit_note_issued.txt", note=note)
