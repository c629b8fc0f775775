"""The invoice lifecycle: draft → open → paid, or void | uncollectible.

Each transition locks the invoice row, checks the current state, writes the new state
and a history row (who, when, why) and announces it, in one transaction. What must
reach the payment provider goes after the commit.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoso_core.history import split_reason
from kyoso_core.signals import announce
from membership.fiscal import fiscal_year_of
from membership.models import Organization

from .. import signals
from ..app_settings import app_settings
from ..models import Invoice, InvoiceCounter, InvoiceLine, InvoiceStatus, InvoiceTransition, TaxRate
from ..tax import totals_per_rate
from .issuer import issuer_settings
from .tax_rates import default_tax_rate

logger = logging.getLogger(__name__)
S = InvoiceStatus

# to_status → the states it may be reached from
ALLOWED_FROM: dict[str, set[str]] = {
    S.OPEN: {S.DRAFT},
    S.PAID: {S.OPEN, S.UNCOLLECTIBLE},
    S.VOID: {S.OPEN, S.UNCOLLECTIBLE},
    S.UNCOLLECTIBLE: {S.OPEN},
}


class TransitionNotAllowed(ValidationError):
    """The invoice is not in a state this step may start from."""


@dataclass(frozen=True)
class LineSpec:
    description_ja: str
    description_en: str
    unit_price: int
    quantity: int = 1
    tax_rate: TaxRate | None = None  # the default rate when None


def _lock(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def _record(*, invoice: Invoice, from_status: str, to: str, by, reason="", data: dict | None = None) -> None:
    """`reason` is what a person typed, or a SystemReason shown in the reader's language."""
    reason, data = split_reason(reason, data)
    InvoiceTransition.objects.create(
        invoice=invoice, from_status=from_status, to_status=to, by=by, reason=reason, data=data
    )


def _transition(*, locked: Invoice, to: str, by, reason="", data: dict | None = None, **changes) -> Invoice:
    """Move a locked invoice to `to`; the caller holds the transaction."""
    if locked.status not in ALLOWED_FROM[to]:
        raise TransitionNotAllowed(
            _("This invoice is %(current)s; it cannot become %(target)s.")
            % {"current": locked.get_status_display(), "target": S(to).label},
            code="transition_not_allowed",
        )
    from_status = locked.status
    locked.status = to
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    _record(invoice=locked, from_status=from_status, to=to, by=by, reason=reason, data=data)
    return locked


def invoice_create(
    *,
    organization: Organization,
    lines: list[LineSpec],
    subject: models.Model | None = None,
    period: str = "",
    period_dates: tuple[dt.date, dt.date] | None = None,
    by=None,
) -> Invoice:
    """A draft invoice (no number yet) for `subject`, with its lines; `period_dates` is the
    first and last day of what is charged for, printed as the period supplied."""
    if not lines:
        raise ValidationError(_("An invoice needs at least one line."), code="no_lines")
    with transaction.atomic():
        invoice = Invoice(organization=organization, period=period, created_by=by)
        if period_dates is not None:
            invoice.period_start, invoice.period_end = period_dates
        if subject is not None:
            invoice.content_type = ContentType.objects.get_for_model(subject)
            invoice.object_id = subject.pk
        invoice.full_clean()
        invoice.save()
        for i, spec in enumerate(lines):
            line = InvoiceLine(
                invoice=invoice,
                description_ja=spec.description_ja,
                description_en=spec.description_en,
                quantity=spec.quantity,
                unit_price=spec.unit_price,
                tax_rate=spec.tax_rate or default_tax_rate(),
                sort_order=i,
            )
            line.full_clean()
            line.save()
        _record(invoice=invoice, from_status="", to=S.DRAFT, by=by)
    return invoice


def _next_number(*, fiscal_year: int) -> str:
    """Take the next number of the fiscal year under a row lock: gap-free, because the
    counter only moves in the transaction that also saves the numbered invoice."""
    if not InvoiceCounter.objects.filter(fiscal_year=fiscal_year).exists():
        try:
            with transaction.atomic():
                InvoiceCounter.objects.create(fiscal_year=fiscal_year, last_number=0)
        except IntegrityError:
            pass  # another issuer created it first; fine
    counter = InvoiceCounter.objects.select_for_update().get(fiscal_year=fiscal_year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{fiscal_year}-{counter.last_number:06d}"


def invoice_compute(*, invoice: Invoice) -> tuple[int, int, list[dict]]:
    """(subtotal, tax, per-rate breakdown) with tax rounded once per rate."""
    rows = [(ln.quantity, ln.unit_price, ln.tax_rate_id, ln.tax_rate.percent) for ln in invoice.lines.all()]
    per_rate = totals_per_rate(lines=rows, rounding=app_settings.TAX_ROUNDING)
    return sum(r.subtotal for r in per_rate), sum(r.tax for r in per_rate), [r.as_dict() for r in per_rate]


def invoice_issue(*, invoice: Invoice, by=None, issue_date: dt.date | None = None) -> Invoice:
    """Give a draft its number, freeze recipient, issuer and amounts, and open it for payment."""
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        locked = _lock(invoice)
        if locked.status != S.DRAFT:
            raise TransitionNotAllowed(_("Only a draft invoice can be issued."), code="transition_not_allowed")
        org = locked.organization
        issuer = issuer_settings()
        subtotal, tax, breakdown = invoice_compute(invoice=locked)
        fiscal_year = fiscal_year_of(issue_date)
        address = " ".join(p for p in [f"〒{org.postal_code}" if org.postal_code else "", org.address] if p)
        _transition(
            locked=locked,
            to=S.OPEN,
            by=by,
            number=_next_number(fiscal_year=fiscal_year),
            fiscal_year=fiscal_year,
            issue_date=issue_date,
            due_date=issue_date + dt.timedelta(days=app_settings.DUE_DAYS),
            recipient_name=org.legal_name,
            recipient_name_en=org.name_en,
            recipient_address=address,
            recipient_registration_number=org.invoice_registration_number,
            issuer_name=issuer.legal_name,
            issuer_name_en=issuer.legal_name_en,
            issuer_registration_number=issuer.registration_number,
            issuer_address=issuer.address,
            subtotal=subtotal,
            tax_total=tax,
            total=subtotal + tax,
            tax_breakdown=breakdown,
        )
        announce(signals.invoice_issued, sender=Invoice, invoice=locked, by=by)
        pk = locked.pk
        transaction.on_commit(lambda: _after_issue(pk))
    invoice.refresh_from_db()
    return locked


def _after_issue(pk: int) -> None:
    from ..emails import send_invoice_issued
    from ..providers import get_provider

    invoice = Invoice.objects.get(pk=pk)
    try:
        send_invoice_issued(invoice=invoice)
    except Exception:
        # The invoice stands; staff can hand its PDF over from the admin.
        logger.exception("could not e-mail invoice %s", invoice.number)
    try:
        get_provider().invoice_issued(invoice=invoice)
    except Exception:
        # The invoice stands; billing_reconcile hands it to the provider again.
        logger.exception("could not hand invoice %s to the payment provider", invoice.number)


def invoice_create_and_issue(
    *,
    organization: Organization,
    lines: list[LineSpec],
    subject: models.Model | None = None,
    period: str = "",
    period_dates: tuple[dt.date, dt.date] | None = None,
    by=None,
    issue_date: dt.date | None = None,
) -> Invoice:
    with transaction.atomic():
        draft = invoice_create(
            organization=organization, lines=lines, subject=subject, period=period, period_dates=period_dates, by=by
        )
        return invoice_issue(invoice=draft, by=by, issue_date=issue_date)


def invoice_void(*, invoice: Invoice, by=None, reason: str = "") -> Invoice:
    """Cancel an open (or uncollectible) invoice; its number stays used, nothing is owed."""
    with transaction.atomic():
        locked = _transition(locked=_lock(invoice), to=S.VOID, by=by, reason=reason)
        announce(signals.invoice_voided, sender=Invoice, invoice=locked, by=by)
        pk = locked.pk
        transaction.on_commit(lambda: _tell_provider(pk, "invoice_voided"))
    invoice.refresh_from_db()
    return locked


def invoice_mark_uncollectible(*, invoice: Invoice, by=None, reason: str = "") -> Invoice:
    """Give up collecting an open invoice (it can still be paid, or voided later)."""
    with transaction.atomic():
        locked = _transition(locked=_lock(invoice), to=S.UNCOLLECTIBLE, by=by, reason=reason)
        announce(signals.invoice_uncollectible, sender=Invoice, invoice=locked, by=by)
        pk = locked.pk
        transaction.on_commit(lambda: _tell_provider(pk, "invoice_marked_uncollectible"))
    invoice.refresh_from_db()
    return locked


def _tell_provider(pk: int, hook: str) -> None:
    from ..providers import get_provider

    invoice = Invoice.objects.get(pk=pk)
    try:
        getattr(get_provider(), hook)(invoice=invoice)
    except Exception:
        # Our state stands; billing_reconcile brings the provider's copy in line.
        logger.exception("could not tell the payment provider about invoice %s (%s)", invoice.number, hook)


def invoice_note(*, invoice: Invoice, reason: str, by=None, data: dict | None = None) -> None:
    """A history row without a change of state (a failed card payment, a reminder sent)."""
    with transaction.atomic():
        locked = _lock(invoice)
        _record(invoice=locked, from_status=locked.status, to=locked.status, by=by, reason=reason, data=data)


def invoice_set_stripe(*, invoice: Invoice, stripe_invoice_id: str, hosted_url: str = "") -> None:
    """Remember where the invoice lives at Stripe (not a state change)."""
    Invoice.objects.filter(pk=invoice.pk).update(
        stripe_invoice_id=stripe_invoice_id, **({"stripe_hosted_url": hosted_url} if hosted_url else {})
    )


def invoices_reconcile() -> list[tuple[Invoice, str]]:
    """Bring the payment provider's copy of every open invoice in line, for calls and
    webhooks that never arrived: an invoice the provider does not hold yet is handed to it,
    then its state there is applied here. One failing invoice does not stop the rest.
    Returns each invoice with what happened ("failed: <error>" for a failure)."""
    from ..providers import get_provider
    from ..selectors import open_invoices

    provider = get_provider()
    outcomes = []
    for invoice in open_invoices():
        try:
            if not provider.invoice_at_provider(invoice=invoice):
                provider.invoice_issued(invoice=invoice)
                invoice.refresh_from_db()
            outcomes.append((invoice, provider.sync_invoice(invoice=invoice)))
        except Exception as exc:
            logger.warning("invoice %s: reconciling with the payment provider failed: %s", invoice.number, exc)
            outcomes.append((invoice, f"failed: {exc}"))
    return outcomes
