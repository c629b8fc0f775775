"""Money received for invoices, and the organization's credit balance.

Payments are keyed by their provider reference, so recording one twice is a no-op.
"""

import datetime as dt
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoso_core.history import SystemReason
from kyoso_core.signals import announce
from membership.models import Organization

from .. import signals
from ..models import (
    REASON_PAID_IN_FULL,
    REASON_PARTIAL_PAYMENT,
    CreditEntry,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
)
from ..subjects import subject_invoice_paid
from .invoices import TransitionNotAllowed, _lock, _record, _transition

logger = logging.getLogger(__name__)
S = InvoiceStatus


def _mark_paid(*, locked: Invoice, by, reason) -> Invoice:
    _transition(locked=locked, to=S.PAID, by=by, reason=reason, paid_at=timezone.now())
    # What billing charges for takes part in the payment's transaction (a membership becomes
    # active); raising rolls the payment back. The signal only announces it, after the commit.
    subject_invoice_paid(invoice=locked, by=by)
    announce(signals.invoice_paid, sender=Invoice, invoice=locked, by=by)
    pk = locked.pk
    transaction.on_commit(lambda: _after_paid(pk))
    return locked


def _after_paid(pk: int) -> None:
    from ..emails import send_payment_received
    from ..providers import get_provider

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
        announce(signals.payment_recorded, sender=Payment, payment=payment, invoice=locked, by=by)
        if due_before and amount >= due_before:
            _mark_paid(locked=locked, by=by, reason=SystemReason(REASON_PAID_IN_FULL))
        elif locked.status in (S.OPEN, S.UNCOLLECTIBLE):
            _record(
                invoice=locked,
                from_status=locked.status,
                to=locked.status,
                by=by,
                reason=SystemReason(REASON_PARTIAL_PAYMENT),
                data={"amount": amount, "still_due": due_before - amount},
            )
    invoice.refresh_from_db()
    return payment, True


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
