"""Credit notes: qualified return invoices (適格返還請求書) against paid invoices.

`credit_note_issue` is the one writer. Staff reach it through `credit_note_create` (the
admin's form: amounts per tax rate, how the money goes back, the payment provider first);
the provider's own events (a refund, a credit note made at Stripe) reach it from the
webhook handlers with the total they carry. Whichever comes first writes the note; the
other finds it by its provider reference or its refund ids and changes nothing, except
that staff's write completes a note the provider's event made first.
"""

import datetime as dt
import logging
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyoso_core.history import SystemReason
from kyoso_core.signals import announce

from .. import signals
from ..app_settings import app_settings
from ..models import (
    REASON_CREDIT_NOTE,
    REASON_CREDIT_NOTE_WHY,
    CreditEntry,
    CreditNote,
    CreditNoteSettlement,
    Invoice,
    InvoiceStatus,
)
from ..tax import tax_on
from .invoices import TransitionNotAllowed, _lock, _record

logger = logging.getLogger(__name__)
S = InvoiceStatus

CREDIT_NOTE_PERMISSION = "billing.add_creditnote"


def _credited_per_rate(invoice: Invoice, *, excluding: CreditNote | None = None) -> dict[int, dict[str, int]]:
    done: dict[int, dict[str, int]] = {}
    notes = invoice.credit_notes.select_related("tax_rate")
    if excluding is not None:
        notes = notes.exclude(pk=excluding.pk)
    for note in notes:
        for row in note.rows:
            acc = done.setdefault(int(row["rate_id"]), {"subtotal": 0, "tax": 0})
            acc["subtotal"] += int(row["subtotal"])
            acc["tax"] += int(row["tax"])
    return done


def credit_note_limits(*, invoice: Invoice, excluding: CreditNote | None = None) -> list[dict]:
    """Per tax rate on the invoice (highest rate first): what was charged and what may
    still be returned (`excluding` a note about to be completed)."""
    credited = _credited_per_rate(invoice, excluding=excluding)
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
    return sorted(limits, key=lambda r: -Decimal(r["percent"]))


def _refuse_unless_paid(invoice: Invoice) -> None:
    if invoice.status != S.PAID:
        raise TransitionNotAllowed(
            _("Only a paid invoice can be credited; this one is %(status)s.")
            % {"status": invoice.get_status_display()},
            code="not_paid",
        )


def _row(limit: dict, subtotal: int, tax: int) -> dict:
    return {
        "rate_id": limit["rate_id"],
        "percent": limit["percent"],
        "subtotal": subtotal,
        "tax": tax,
        "total": subtotal + tax,
    }


def credit_note_preview(
    *, invoice: Invoice, amounts: dict[int, int], excluding: CreditNote | None = None
) -> list[dict]:
    """The rows a credit note for `amounts` (yen excluding tax, per tax rate id) would carry,
    with the tax per rate rounded once as on invoices; refuses what the invoice cannot return."""
    _refuse_unless_paid(invoice)
    limits = {row["rate_id"]: row for row in credit_note_limits(invoice=invoice, excluding=excluding)}
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
        rows.append(_row(limit, amount, tax))
    if errors:
        raise ValidationError(errors, code="too_much")
    if not rows:
        raise ValidationError(_("Enter the amount to return at one rate at least."), code="nothing")
    return sorted(rows, key=lambda r: -Decimal(r["percent"]))


def credit_note_rows_for_total(*, invoice: Invoice, total: int, excluding: CreditNote | None = None) -> list[dict]:
    """The rows for returning `total` yen including tax (what a provider's refund carries):
    taken from the highest rate first, as far as each rate has something left, with the
    tax included in each part (total × p / (100 + p)) rounded like invoices are."""
    _refuse_unless_paid(invoice)
    limits = credit_note_limits(invoice=invoice, excluding=excluding)
    left = sum(limit["subtotal_left"] + limit["tax_left"] for limit in limits)
    if total <= 0 or total > left:
        raise ValidationError(
            _("A credit note can return at most %(max)s yen.") % {"max": f"{left:,}"}, code="too_much"
        )
    rows, remaining = [], total
    for limit in limits:
        take = min(remaining, limit["subtotal_left"] + limit["tax_left"])
        if take <= 0:
            continue
        if take == limit["subtotal_left"] + limit["tax_left"]:
            tax = limit["tax_left"]
        else:
            percent = Decimal(limit["percent"])
            tax = min(
                tax_on(amount=take, percent=percent * 100 / (100 + percent), rounding=app_settings.TAX_ROUNDING),
                limit["tax_left"],
            )
        rows.append(_row(limit, take - tax, tax))
        remaining -= take
    return rows


def credit_note_issue(
    *,
    invoice: Invoice,
    amounts: dict[int, int] | None = None,
    total: int | None = None,
    reason: str = "",
    settlement: str = "",
    provider_reference: str = "",
    refund_ids: list[str] | None = None,
    by=None,
    issue_date: dt.date | None = None,
) -> tuple[CreditNote, bool]:
    """Write a credit note against a paid invoice: the one writer of credit notes; (note, created).

    Give either `amounts` (yen excluding tax per tax-rate id, as staff enter them) or
    `total` (yen including tax, as a provider's refund carries it). `settlement` says how
    the money goes back; a note kept as credit adds it to the organization's credit
    balance. Empty for a note the payment provider announced on its own.

    Idempotent: a note with the same provider reference, or covering one of `refund_ids`,
    is the same note; its refund ids are merged and nothing else changes, except that a
    note the provider's event wrote first (no settlement yet) is completed by staff's own
    write (created is then True: staff's note is issued now). A completed or new note
    with a settlement is e-mailed to the organization after the commit.
    """
    if (amounts is None) == (total is None):
        raise TypeError("credit_note_issue takes amounts or total")
    refund_ids = list(refund_ids or [])
    provider_reference = provider_reference.strip() or f"manual:{uuid.uuid4()}"
    with transaction.atomic():
        locked = _lock(invoice)
        note = CreditNote.objects.filter(provider_reference=provider_reference).first()
        if note is None and refund_ids:
            note = next((cn for cn in locked.credit_notes.all() if set(cn.refund_ids) & set(refund_ids)), None)
        if note is not None and (note.settlement or not settlement):
            merged = sorted(set(note.refund_ids) | set(refund_ids))
            if merged != note.refund_ids:
                note.refund_ids = merged
                note.save(update_fields=["refund_ids"])
            return note, False
        is_new = note is None
        if amounts is not None:
            rows = credit_note_preview(invoice=locked, amounts=amounts, excluding=note)
        else:
            rows = credit_note_rows_for_total(invoice=locked, total=total, excluding=note)
        if note is None:
            note = CreditNote(
                number=f"{locked.number}-C{locked.credit_notes.count() + 1}",
                invoice=locked,
                provider_reference=provider_reference,
                issue_date=issue_date or timezone.localdate(),
            )
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
            reason=SystemReason(REASON_CREDIT_NOTE_WHY, {"number": note.number, "reason": reason})
            if reason
            else SystemReason(REASON_CREDIT_NOTE, {"number": note.number}),
            data={"credit_note": note.number, "total": note.total, "settlement": settlement, "rows": rows},
        )
        if is_new:  # a note completed by staff was announced when the provider's event made it
            announce(signals.credit_note_issued, sender=CreditNote, credit_note=note, invoice=locked, by=by)
        if settlement:
            note_pk = note.pk
            transaction.on_commit(lambda: _after_credit_note(note_pk))
    return note, True


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
    """Staff issue a credit note against a paid invoice (the admin's form); (note, created).

    `amounts` are yen excluding tax per tax-rate id. The money goes back by bank transfer
    (recorded here), through Stripe (a Stripe refund), or stays as the organization's
    credit balance. When the invoice lives at the payment provider, the credit note is
    made there first, outside our transaction (no row lock held over the network) and with
    an Idempotency-Key from the invoice and `request_id` (minted when the form was shown),
    so a repeated confirmation, a retry after a timeout, or the provider's own event about
    it never returns money twice. The note is written by `credit_note_issue`.
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
    # Refused here, before anything reaches the provider; checked again under the lock.
    rows = credit_note_preview(invoice=invoice, amounts=amounts)
    total = sum(r["total"] for r in rows)

    from ..providers import get_provider

    provider = get_provider()
    refund_ids: list[str] = []
    if provider.credit_note_plan(invoice=invoice, settlement=settlement, total=total):
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
    return credit_note_issue(
        invoice=invoice,
        amounts=amounts,
        reason=reason,
        settlement=settlement,
        provider_reference=reference,
        refund_ids=refund_ids,
        by=by,
        issue_date=issue_date,
    )


def _after_credit_note(pk: int) -> None:
    from ..emails import send_credit_note_issued

    try:
        send_credit_note_issued(note=CreditNote.objects.select_related("invoice__organization").get(pk=pk))
    except Exception:
        # The note stands; staff can hand its PDF over from the admin.
        logger.exception("could not e-mail credit note %s", pk)
