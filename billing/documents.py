"""The qualified invoice and the receipt as HTML and as PDF (WeasyPrint, Noto CJK from Debian)."""

from django.template.loader import render_to_string
from django.utils import translation

from .models import Invoice


def document_context(*, invoice: Invoice) -> dict:
    from .services.issuer import issuer_settings

    lines = list(invoice.lines.select_related("tax_rate"))
    rates = {ln.tax_rate_id: ln.tax_rate for ln in lines}
    breakdown = [{**row, "rate": rates.get(row["rate_id"])} for row in invoice.tax_breakdown]
    return {
        "invoice": invoice,
        "lines": lines,
        "breakdown": breakdown,
        "issuer": issuer_settings(),
        "payments": list(invoice.payments.all()),
    }


def render_document(*, template: str, invoice: Invoice, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, {**document_context(invoice=invoice), "LANGUAGE_CODE": language})


def render_pdf(*, template: str, invoice: Invoice, language: str) -> bytes:
    from weasyprint import HTML

    html = render_document(template=template, invoice=invoice, language=language)
    return HTML(string=html).write_pdf()


def invoice_pdf(*, invoice: Invoice, language: str) -> bytes:
    return render_pdf(template="billing/invoice_document.html", invoice=invoice, language=language)


def receipt_pdf(*, invoice: Invoice, language: str) -> bytes:
    return render_pdf(template="billing/receipt_document.html", invoice=invoice, language=language)


def credit_note_pdf(*, note, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "billing/credit_note_document.html",
            {**document_context(invoice=note.invoice), "note": note, "LANGUAGE_CODE": language},
        )
    return HTML(string=html).write_pdf()
