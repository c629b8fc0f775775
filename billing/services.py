"""Everything that changes billing state.

Each invoice transition locks the invoice row, checks the current state, writes the
new state and a history row (who, when, why) and announces it, in one transaction.
Payments are keyed by their provider reference, so recording one twice is a no-op.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from membership.fiscal import fiscal_year_of
from membership.models import Organization

from . import signals
from .app_settings import app_settings
from .models import (
    BillingCustomer,
    CreditEntry,
    CreditNote,
    CreditNoteSettlement,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceStatus,
    InvoiceTransition,
    IssuerSettings,
    Payment,
    PaymentMethod,
    TaxRate,
)
from .tax import tax_on, totals_per_rate

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


STATUTORY_RATES = [
    {"percent": Decimal("10.00"), "name_ja": "標準税率", "name_en": "Standard rate", "is_default": True},
    {"percent": Decimal("8.00"), "name_ja": "軽減税率", "name_en": "Reduced rate", "is_default": False},
]


def default_tax_rate() -> TaxRate:
    """The default rate. The data migration adds Japan's rates; should the table be empty
    (a flushed database), they are put back rather than refusing to invoice."""
    if not TaxRate.objects.exists():
        for spec in STATUTORY_RATES:
            TaxRate.objects.get_or_create(percent=spec["percent"], defaults=spec)
    rate = TaxRate.objects.filter(is_default=True, is_active=True).first()
    if rate is None:
        raise ValidationError(_("No default tax rate is set up."), code="no_tax_rate")
    return rate


def issuer_settings() -> IssuerSettings:
    """The issuer of the default site (one university issues every invoice)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return IssuerSettings()
    return IssuerSettings.for_site(site)


def _lock(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def _record(*, invoice: Invoice, from_status: str, to: str, by, reason: str = "", data: dict | None = None) -> None:
    InvoiceTransition.objects.create(
        invoice=invoice, from_status=from_status, to_status=to, by=by, reason=reason, data=data or {}
    )


def _transition(*, locked: Invoice, to: str, by, reason: str = "", data: dict | None = None, **changes) -> Invoice:
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
    by=None,
) -> Invoice:
    """A draft invoice (no number yet) for `subject`, with its lines."""
    if not lines:
        raise ValidationError(_("An invoice needs at least one line."), code="no_lines")
    with transaction.atomic():
        invoice = Invoice(organization=organization, period=period, created_by=by)
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
        signals.invoice_issued.send(sender=Invoice, invoice=locked, by=by)
        pk = locked.pk
        transaction.on_commit(lambda: _after_issue(pk))
    invoice.refresh_from_db()
    return locked


def _after_issue(pk: int) -> None:
    from .providers import get_provider

    invoice = Invoice.objects.get(pk=pk)
    try:
        get_provider().invoice_issued(invoice=invoice)
    except Exception:
        # The invoice stands; sending it again is a staff action (and the reconcile command).
        logger.exception("could not hand invoice %s to the payment provider", invoice.number)


def invoice_create_and_issue(
    *,
    organization: Organization,
    lines: list[LineSpec],
    subject: models.Model | None = None,
    period: str = "",
    by=None,
    issue_date: dt.date | None = None,
) -> Invoice:
    with transaction.atomic():
        draft = invoice_create(organization=organization, lines=lines, subject=subject, period=period, by=by)
        return invoice_issue(invoice=draft, by=by, issue_date=issue_date)


def _mark_paid(*, locked: Invoice, by, reason: str) -> Invoice:
    _transition(locked=locked, to=S.PAID, by=by, reason=reason, paid_at=timezone.now())
    signals.invoice_paid.send(sender=Invoice, invoice=locked, by=by)
    pk = locked.pk
    transaction.on_commit(lambda: _after_paid(pk))
    return locked


def _after_paid(pk: int) -> None:
    from .emails import send_payment_received
    from .providers import get_provider

    invoice = Invoice.objects.get(pk=pk)
    send_payment_received(invoice=invoice)
    try:
        get_provider().invoice_paid_elsewhere(invoice=invoice)
    except Exception:
        logger.exception("could not tell the payment provider that invoice %s is paid", invoice.number)


def payment_record(
    *,
    invoice: Invoice,
    amount: int,
    method: str,
    provider_reference: str = "",
    received_at: dt.datetime | None = None,
    payer_name: str = "",
    by=None,
) -> tuple[Payment, bool]:
    """Record money received for an invoice; (payment, created).

    The same provider reference twice returns the first payment and changes nothing.
    The invoice becomes paid once the full amount has arrived; money beyond what was
    due (or paid to a void invoice) goes to the organization's credit balance.
    """
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount of at least 1 yen.")}, code="amount")
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Unknown payment method.")}, code="method")
    provider_reference = provider_reference.strip() or f"{method}:{uuid.uuid4()}"
    with transaction.atomic():
        locked = _lock(invoice)
        existing = Payment.objects.filter(provider_reference=provider_reference).first()
        if existing is not None:
            return existing, False
        if locked.status == S.DRAFT:
            raise TransitionNotAllowed(_("A draft invoice cannot be paid."), code="draft")
        due_before = (
            max(locked.total - (locked.payments.aggregate(s=Sum("amount", default=0))["s"]), 0)
            if locked.status in (S.OPEN, S.UNCOLLECTIBLE)
            else 0
        )
        payment = Payment(
            invoice=locked,
            amount=amount,
            method=method,
            provider_reference=provider_reference,
            received_at=received_at or timezone.now(),
            payer_name=payer_name,
            recorded_by=by,
        )
        payment.full_clean()
        payment.save()
        excess = amount - due_before if amount > due_before else 0
        if excess:
            CreditEntry.objects.create(
                organization=locked.organization,
                amount=excess,
                invoice=locked,
                payment=payment,
                reason=f"overpayment on {locked.number}",
            )
        signals.payment_recorded.send(sender=Payment, payment=payment, invoice=locked, by=by)
        if due_before and amount >= due_before:
            _mark_paid(locked=locked, by=by, reason=f"paid in full ({payment.get_method_display()})")
        elif locked.status in (S.OPEN, S.UNCOLLECTIBLE):
            _record(
                invoice=locked,
                from_status=locked.status,
                to=locked.status,
                by=by,
                reason="partial payment",
                data={"amount": amount, "still_due": due_before - amount},
            )
    invoice.refresh_from_db()
    return payment, True


def invoice_void(*, invoice: Invoice, by=None, reason: str = "") -> Invoice:
    """Cancel an open (or uncollectible) invoice; its number stays used, nothing is owed."""
    with transaction.atomic():
        locked = _transition(locked=_lock(invoice), to=S.VOID, by=by, reason=reason)
        signals.invoice_voided.send(sender=Invoice, invoice=locked, by=by)
        pk = locked.pk
        transaction.on_commit(lambda: _tell_provider(pk, "invoice_voided"))
    invoice.refresh_from_db()
    return locked


def invoice_mark_uncollectible(*, invoice: Invoice, by=None, reason: str = "") -> Invoice:
    """Give up collecting an open invoice (it can still be paid, or voided later)."""
    with transaction.atomic():
        locked = _transition(locked=_lock(invoice), to=S.UNCOLLECTIBLE, by=by, reason=reason)
        signals.invoice_uncollectible.send(sender=Invoice, invoice=locked, by=by)
        pk = locked.pk
        transaction.on_commit(lambda: _tell_provider(pk, "invoice_marked_uncollectible"))
    invoice.refresh_from_db()
    return locked


def _tell_provider(pk: int, hook: str) -> None:
    from .providers import get_provider

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


def credit_note_issue(
    *,
    invoice: Invoice,
    total: int,
    reason: str = "",
    provider_reference: str = "",
    refund_ids: list[str] | None = None,
    by=None,
    issue_date: dt.date | None = None,
) -> tuple[CreditNote, bool]:
    """A qualified return invoice (適格返還請求書) for `total` yen (incl. tax) of a paid invoice.

    Idempotent on the provider reference and on Stripe refund ids already covered.
    """
    refund_ids = list(refund_ids or [])
    provider_reference = provider_reference.strip() or f"manual:{uuid.uuid4()}"
    with transaction.atomic():
        locked = _lock(invoice)
        existing = CreditNote.objects.filter(provider_reference=provider_reference).first()
        if existing is None and refund_ids:
            existing = next(
                (cn for cn in locked.credit_notes.all() if set(cn.refund_ids) & set(refund_ids)),
                None,
            )
        if existing is not None:
            merged = sorted(set(existing.refund_ids) | set(refund_ids))
            if merged != existing.refund_ids:
                existing.refund_ids = merged
                existing.save(update_fields=["refund_ids"])
            return existing, False
        if locked.status != S.PAID:
            raise TransitionNotAllowed(_("Only a paid invoice can be credited."), code="not_paid")
        credited = locked.credit_notes.aggregate(s=Sum("total", default=0))["s"]
        if total <= 0 or credited + total > locked.total:
            raise ValidationError(
                _("A credit note can return at most %(max)s yen.") % {"max": f"{locked.total - credited:,}"},
                code="too_much",
            )
        line = locked.lines.select_related("tax_rate").order_by("-tax_rate__percent").first()
        rate = line.tax_rate if line else default_tax_rate()
        # The tax included in a tax-inclusive amount: total × p / (100 + p), rounded like invoices are.
        tax = tax_on(
            amount=total, percent=rate.percent * 100 / (100 + rate.percent), rounding=app_settings.TAX_ROUNDING
        )
        count = locked.credit_notes.count() + 1
        note = CreditNote(
            number=f"{locked.number}-C{count}",
            invoice=locked,
            tax_rate=rate,
            subtotal=total - tax,
            tax=tax,
            total=total,
            reason=reason,
            issue_date=issue_date or timezone.localdate(),
            provider_reference=provider_reference,
            refund_ids=refund_ids,
            created_by=by,
        )
        note.full_clean()
        note.save()
        _record(
            invoice=locked,
            from_status=locked.status,
            to=locked.status,
            by=by,
            reason=f"credit note {note.number}",
            data={"total": total},
        )
        signals.credit_note_issued.send(sender=CreditNote, credit_note=note, invoice=locked, by=by)
    return note, True


def credit_apply(*, invoice: Invoice, by=None) -> Payment | None:
    """Pay an open invoice from the organization's credit balance, as far as it goes."""
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=invoice.organization_id)
        balance = CreditEntry.objects.filter(organization_id=invoice.organization_id).aggregate(
            s=Sum("amount", default=0)
        )["s"]
        locked = _lock(invoice)
        due = locked.amount_due
        use = min(balance, due)
        if use <= 0:
            return None
        CreditEntry.objects.create(
            organization_id=locked.organization_id, amount=-use, invoice=locked, reason=f"applied to {locked.number}"
        )
        n = CreditEntry.objects.filter(invoice=locked, amount__lt=0).count()
        payment, _created = payment_record(
            invoice=locked,
            amount=use,
            method=PaymentMethod.CREDIT,
            provider_reference=f"credit:{locked.pk}:{n}",
            by=by,
        )
    return payment


# Credit notes issued by staff ---------------------------------------------------------------

CREDIT_NOTE_PERMISSION = "billing.add_creditnote"


def _credited_per_rate(invoice: Invoice) -> dict[int, dict[str, int]]:
    done: dict[int, dict[str, int]] = {}
    for note in invoice.credit_notes.select_related("tax_rate"):
        for row in note.rows:
            acc = done.setdefault(int(row["rate_id"]), {"subtotal": 0, "tax": 0})
            acc["subtotal"] += int(row["subtotal"])
            acc["tax"] += int(row["tax"])
    return done


def credit_note_limits(*, invoice: Invoice) -> list[dict]:
    """Per tax rate on the invoice: what was charged and what may still be returned."""
    credited = _credited_per_rate(invoice)
    limits = []
    for row in invoice.tax_breakdown:
        done = credited.get(int(row["rate_id"]), {"subtotal": 0, "tax": 0})
        limits.append(
            {
                **row,
                "rate_id": int(row["rate_id"]),
                "subtotal_left": max(int(row["subtotal"]) - done["subtotal"], 0),
                "tax_left": max(int(row["tax"]) - done["tax"], 0),
            }
        )
    return limits


def credit_note_preview(*, invoice: Invoice, amounts: dict[int, int]) -> list[dict]:
    """The rows a credit note for `amounts` (yen excluding tax, per tax rate id) would carry,
    with the tax per rate rounded once as on invoices; refuses what the invoice cannot return."""
    if invoice.status != S.PAID:
        raise TransitionNotAllowed(
            _("Only a paid invoice can be credited; this one is %(status)s.")
            % {"status": invoice.get_status_display()},
            code="not_paid",
        )
    limits = {row["rate_id"]: row for row in credit_note_limits(invoice=invoice)}
    errors = {}
    rows = []
    for rate_id, amount in amounts.items():
        if not amount:
            continue
        limit = limits.get(int(rate_id))
        if limit is None or amount < 0:
            errors[f"amount_{rate_id}"] = _("This invoice has nothing at this rate to return.")
            continue
        if amount > limit["subtotal_left"]:
            errors[f"amount_{rate_id}"] = _("At most %(max)s yen (excluding tax) is left to return at this rate.") % {
                "max": f"{limit['subtotal_left']:,}"
            }
            continue
        # The last return at a rate gives back exactly the tax left, whatever the rounding.
        tax = min(
            tax_on(amount=amount, percent=Decimal(limit["percent"]), rounding=app_settings.TAX_ROUNDING),
            limit["tax_left"],
        )
        if amount == limit["subtotal_left"]:
            tax = limit["tax_left"]
        rows.append(
            {
                "rate_id": limit["rate_id"],
                "percent": limit["percent"],
                "subtotal": amount,
                "tax": tax,
                "total": amount + tax,
            }
        )
    if errors:
        raise ValidationError(errors, code="too_much")
    if not rows:
        raise ValidationError(_("Enter the amount to return at one rate at least."), code="nothing")
    return sorted(rows, key=lambda r: -Decimal(r["percent"]))


def credit_note_create(
    *,
    invoice: Invoice,
    amounts: dict[int, int],
    reason: str,
    settlement: str,
    request_id: str,
    by,
    issue_date: dt.date | None = None,
) -> tuple[CreditNote, bool]:
    """Staff issue a qualified return invoice (適格返還請求書) against a paid invoice; (note, created).

    `amounts` are yen excluding tax per tax-rate id. The money goes back by bank transfer
    (recorded here), through Stripe (a Stripe refund), or stays as the organization's
    credit balance. When the invoice lives at Stripe, the credit note is made there first,
    outside our transaction (no row lock held over the network) and with an Idempotency-Key
    from the invoice and `request_id` (minted when the form was shown), so a repeated
    confirmation, a retry after a timeout, or Stripe's own credit_note.created event never
    returns money twice.
    """
    if by is None or not by.has_perm(CREDIT_NOTE_PERMISSION):
        raise PermissionDenied(_("Only finance staff may issue credit notes."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is printed on the credit note.")}, code="reason")
    if settlement not in CreditNoteSettlement.values:
        raise ValidationError({"settlement": _("Choose how the money is returned.")}, code="settlement")
    if not request_id:
        raise ValidationError(_("The form has expired; open it again."), code="request_id")
    reference = f"manual:{request_id}"
    existing = CreditNote.objects.filter(provider_reference=reference, invoice=invoice).first()
    if existing is not None:
        return existing, False  # the same confirmation sent twice
    invoice.refresh_from_db()
    rows = credit_note_preview(invoice=invoice, amounts=amounts)
    total = sum(r["total"] for r in rows)

    from .providers import get_provider

    provider = get_provider()
    refund_ids: list[str] = []
    outside = provider.credit_note_plan(invoice=invoice, settlement=settlement, total=total)
    if outside:
        try:
            outside_reference, refund_ids = provider.credit_note_create(
                invoice=invoice, total=total, settlement=settlement, reason=reason, request_id=request_id
            )
        except ValidationError:
            raise
        except Exception as exc:
            logger.exception("the payment provider refused credit note %s for %s", request_id, invoice.number)
            raise ValidationError(
                _(
                    "The payment service could not issue the credit note, so nothing was returned or written. "
                    "Try again; confirming the same form again is safe."
                ),
                code="provider",
            ) from exc
        reference = outside_reference or reference

    with transaction.atomic():
        locked = _lock(invoice)
        note = CreditNote.objects.filter(provider_reference=reference).first()
        if note is not None and note.settlement:
            return note, False
        announce = note is None
        if note is None:
            # Checked again under the lock: another note may have been issued meanwhile.
            rows = credit_note_preview(invoice=locked, amounts=amounts)
            note = CreditNote(
                number=f"{locked.number}-C{locked.credit_notes.count() + 1}",
                invoice=locked,
                provider_reference=reference,
                issue_date=issue_date or timezone.localdate(),
            )
        # Stripe's credit_note.created may have been applied first, from the same credit
        # note: complete that record rather than issue a second one.
        note.tax_rate_id = rows[0]["rate_id"]
        note.subtotal = sum(r["subtotal"] for r in rows)
        note.tax = sum(r["tax"] for r in rows)
        note.total = sum(r["total"] for r in rows)
        note.breakdown = rows
        note.reason = reason[:300]
        note.settlement = settlement
        note.refund_ids = sorted(set(note.refund_ids or []) | set(refund_ids))
        note.created_by = note.created_by or by
        note.full_clean()
        note.save()
        if settlement == CreditNoteSettlement.CREDIT:
            CreditEntry.objects.create(
                organization=locked.organization,
                amount=note.total,
                invoice=locked,
                reason=f"credit note {note.number}",
            )
        _record(
            invoice=locked,
            from_status=locked.status,
            to=locked.status,
            by=by,
            reason=f"credit note {note.number}: {reason}",
            data={"credit_note": note.number, "total": note.total, "settlement": settlement, "rows": rows},
        )
        if announce:  # a note completed from Stripe's event was announced when it was made
            signals.credit_note_issued.send(sender=CreditNote, credit_note=note, invoice=locked, by=by)
        note_pk = note.pk
        transaction.on_commit(lambda: _after_credit_note(note_pk))
    return note, True


def _after_credit_note(pk: int) -> None:
    from .emails import send_credit_note_issued

    try:
        send_credit_note_issued(note=CreditNote.objects.select_related("invoice__organization").get(pk=pk))
    except Exception:
        # The note stands; staff can hand its PDF over from the admin.
        logger.exception("could not e-mail credit note %s", pk)


def billing_customer_sync(*, customer: BillingCustomer, force: bool = False) -> bool:
    """Send the organization's details to its Stripe customer; True when something was sent.

    A failure is written on the customer (`sync_error`, and `sync_pending_since` kept or
    set) before the error propagates, so billing_reconcile knows to try again."""
    from .providers.stripe import StripeProvider

    before = customer.sync_count
    try:
        StripeProvider().customer_sync(organization=customer.organization, force=force)
    except Exception as exc:
        now = timezone.now()
        BillingCustomer.objects.filter(pk=customer.pk).update(sync_error=f"{now:%Y-%m-%d %H:%M} {exc}"[:500])
        BillingCustomer.objects.filter(pk=customer.pk, sync_pending_since__isnull=True).update(sync_pending_since=now)
        raise
    customer.refresh_from_db()
    return customer.sync_count > before


def billing_customers_reconcile() -> list[tuple[BillingCustomer, str]]:
    """Bring every Stripe customer in step with its organization: those whose last sync
    failed or never ran, those changed without a signal, and (forced) those not synced for
    CUSTOMER_RESYNC_DAYS. Unchanged, recently synced customers cost no request to Stripe.
    Returns each customer with "sent", "unchanged" or "failed: <error>"."""
    stale_before = timezone.now() - dt.timedelta(days=app_settings.CUSTOMER_RESYNC_DAYS)
    outcomes = []
    customers = BillingCustomer.objects.exclude(stripe_customer_id="").select_related("organization").order_by("pk")
    for customer in customers:
        stale = customer.synced_at is None or customer.synced_at < stale_before
        try:
            sent = billing_customer_sync(customer=customer, force=stale)
        except Exception as exc:  # keep going: one failing customer must not stop the rest
            logger.warning("Stripe customer %s: sync failed: %s", customer.stripe_customer_id, exc)
            outcomes.append((customer, f"failed: {exc}"))
            continue
        outcomes.append((customer, "sent" if sent else "unchanged"))
    return outcomes
