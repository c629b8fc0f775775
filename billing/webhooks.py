"""Stripe webhooks: verify on the raw body, store each event once, apply in a task.

Handlers decide from the state of the object carried by the event (not from the
event's type alone), so events may arrive twice, late or out of order: applying an
older event after a newer one changes nothing, and every write is idempotent
(payments and credit notes are keyed by Stripe ids, transitions are checked under
a row lock).
"""

import datetime as dt
import json
import logging

import stripe
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kyoso_core.history import SystemReason

from .app_settings import app_settings
from .models import (
    REASON_CHECKOUT_FAILED,
    REASON_PAYMENT_FAILED_AT_STRIPE,
    REASON_UNCOLLECTIBLE_AT_STRIPE,
    REASON_VOIDED_AT_STRIPE,
    CreditNote,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    WebhookEvent,
    WebhookEventStatus,
)
from .services import credit_notes, invoices, payments

logger = logging.getLogger(__name__)


# What the view accepts as an event: the columns' own limits, so an oversized id is a 400
# rather than a database error.
_EVENT_ID_MAX = WebhookEvent._meta.get_field("event_id").max_length
_EVENT_TYPE_MAX = WebhookEvent._meta.get_field("type").max_length


def _refuse(reason: str) -> HttpResponse:
    return HttpResponse(reason, status=400, content_type="text/plain")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify a Stripe delivery, store it once and queue its processing.

    200 "ok" for a new event, 200 "duplicate" for one stored before, 400 for anything
    unsigned or not an event (nothing stored). Any other failure is a 5xx with nothing
    stored, so Stripe delivers the event again later."""
    secret = app_settings.STRIPE_WEBHOOK_SECRET
    signature = request.headers.get("Stripe-Signature", "")
    if not secret or not signature:
        return _refuse("missing signature")
    try:
        body = request.body.decode("utf-8")
        # Stripe's own check (the HMAC over the raw body, the timestamp's tolerance), the one
        # stripe.Webhook.construct_event makes; the handlers read the event as plain JSON.
        stripe.WebhookSignature.verify_header(body, signature, secret, app_settings.STRIPE_WEBHOOK_TOLERANCE)
    except (UnicodeDecodeError, stripe.SignatureVerificationError):
        return _refuse("invalid signature")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        # RecursionError: JSON nested deeper than Python's parser goes. Signed or not, it
        # is no Stripe event.
        return _refuse("not an event")
    event_id = payload.get("id") if isinstance(payload, dict) else None
    event_type = payload.get("type") if isinstance(payload, dict) else None
    if not (
        isinstance(event_id, str)
        and isinstance(event_type, str)
        and 0 < len(event_id) <= _EVENT_ID_MAX
        and 0 < len(event_type) <= _EVENT_TYPE_MAX
    ):
        return _refuse("not an event")
    stored = webhook_event_receive(provider="stripe", event_id=event_id, event_type=event_type, body=body)
    return HttpResponse("ok" if stored else "duplicate", content_type="text/plain")


def webhook_event_receive(*, provider: str, event_id: str, event_type: str, body: str) -> bool:
    """Store a verified event (its body as signed) and queue its processing; False when
    the event id was stored before.

    The event and its queued task are written in one transaction: never an event stored
    without the task that applies it (the database task backend writes its task row in
    this transaction; a db_worker sees it once this commits). A duplicate, also a
    concurrent one, adds neither; the first delivery already queued the work.
    """
    from .tasks import process_webhook_event

    stored = None
    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(provider=provider, event_id=event_id, type=event_type, body=body)
            # The embedded immediate backend applies the event right here, in this transaction.
            process_webhook_event.enqueue(stored.pk)
    except IntegrityError:
        if stored is not None:
            raise  # not the event id: something while queueing, which must not pass as a duplicate
        return False
    return True


# Processing ----------------------------------------------------------------------------


def webhook_event_process(*, event: WebhookEvent) -> str:
    """Apply a stored event once. Errors roll the handler's writes back and are recorded
    on the event (status failed), which staff can retry from the admin."""
    with transaction.atomic():
        locked = WebhookEvent.objects.select_for_update().get(pk=event.pk)
        if locked.status in (WebhookEventStatus.PROCESSED, WebhookEventStatus.IGNORED):
            return locked.status
        locked.attempts += 1
        handler = HANDLERS.get(locked.type)
        try:
            with transaction.atomic():
                outcome = handler(locked.payload["data"]["object"]) if handler else "ignored"
        except Exception as exc:
            logger.exception("webhook event %s failed", locked.event_id)
            locked.status = WebhookEventStatus.FAILED
            locked.last_error = f"{type(exc).__name__}: {exc}"[:4000]
            locked.save(update_fields=["status", "attempts", "last_error"])
            return locked.status
        locked.status = WebhookEventStatus.IGNORED if handler is None else WebhookEventStatus.PROCESSED
        locked.last_error = ""
        locked.processed_at = timezone.now()
        locked.save(update_fields=["status", "attempts", "last_error", "processed_at"])
        logger.info("webhook event %s: %s", locked.event_id, outcome)
        return locked.status


def webhook_event_retry(*, event: WebhookEvent) -> None:
    """Queue a failed event again (the admin's retry button)."""
    from .tasks import process_webhook_event

    process_webhook_event.enqueue(event.pk)


# Finding our invoice ------------------------------------------------------------------


def _invoice_for(*, metadata: dict | None = None, stripe_invoice_id: str = "") -> Invoice | None:
    pk = (metadata or {}).get("kyoso_invoice_id")
    if pk and str(pk).isdigit():
        found = Invoice.objects.filter(pk=int(pk)).first()
        if found:
            return found
    if stripe_invoice_id:
        return Invoice.objects.filter(stripe_invoice_id=stripe_invoice_id).first()
    return None


def _when(ts) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC) if ts else timezone.now()


# Handlers: each takes the event's object and returns what it did --------------------


def apply_stripe_invoice(obj: dict) -> str:
    """Bring our invoice in line with the state of a Stripe invoice object."""
    invoice = _invoice_for(metadata=obj.get("metadata"), stripe_invoice_id=obj.get("id", ""))
    if invoice is None:
        return "no matching invoice"
    if not invoice.stripe_invoice_id or (obj.get("hosted_invoice_url") and not invoice.stripe_hosted_url):
        invoices.invoice_set_stripe(
            invoice=invoice, stripe_invoice_id=obj["id"], hosted_url=obj.get("hosted_invoice_url") or ""
        )
    status = obj.get("status")
    if status == "paid":
        if obj.get("paid_out_of_band"):
            return "paid out of band (recorded here)"
        amount = int(obj.get("amount_paid") or 0)
        if amount <= 0:
            return "paid with nothing received"
        transitions = obj.get("status_transitions") or {}
        _payment, created = payments.payment_record(
            invoice=invoice,
            amount=amount,
            method=PaymentMethod.STRIPE,
            provider_reference=f"stripe:{obj['id']}",
            received_at=_when(transitions.get("paid_at")),
            payer_name=obj.get("customer_name") or "",
        )
        return "payment recorded" if created else "payment already recorded"
    if status == "void" and invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE):
        invoices.invoice_void(invoice=invoice, reason=SystemReason(REASON_VOIDED_AT_STRIPE))
        return "voided"
    if status == "uncollectible" and invoice.status == InvoiceStatus.OPEN:
        invoices.invoice_mark_uncollectible(invoice=invoice, reason=SystemReason(REASON_UNCOLLECTIBLE_AT_STRIPE))
        return "uncollectible"
    return f"nothing to do (Stripe {status}, ours {invoice.status})"


def on_invoice_payment_failed(obj: dict) -> str:
    invoice = _invoice_for(metadata=obj.get("metadata"), stripe_invoice_id=obj.get("id", ""))
    if invoice is None:
        return "no matching invoice"
    invoices.invoice_note(
        invoice=invoice, reason=SystemReason(REASON_PAYMENT_FAILED_AT_STRIPE), data={"stripe_invoice": obj.get("id")}
    )
    return "noted"


def on_checkout_paid(obj: dict) -> str:
    if obj.get("payment_status") != "paid":
        return "not paid yet"  # an asynchronous method: async_payment_succeeded follows
    invoice = _invoice_for(metadata=obj.get("metadata"))
    if invoice is None and str(obj.get("client_reference_id") or "").isdigit():
        invoice = Invoice.objects.filter(pk=int(obj["client_reference_id"])).first()
    if invoice is None:
        return "no matching invoice"
    reference = obj.get("payment_intent") or obj["id"]
    _payment, created = payments.payment_record(
        invoice=invoice,
        amount=int(obj.get("amount_total") or 0),
        method=PaymentMethod.STRIPE,
        provider_reference=f"stripe:{reference}",
        received_at=_when(obj.get("created")),
        payer_name=((obj.get("customer_details") or {}).get("name")) or "",
    )
    return "payment recorded" if created else "payment already recorded"


def on_checkout_failed(obj: dict) -> str:
    invoice = _invoice_for(metadata=obj.get("metadata"))
    if invoice is None:
        return "no matching invoice"
    invoices.invoice_note(invoice=invoice, reason=SystemReason(REASON_CHECKOUT_FAILED), data={"session": obj.get("id")})
    return "noted"


def on_charge_refunded(obj: dict) -> str:
    invoice = _invoice_for(metadata=obj.get("metadata"))
    if invoice is None and obj.get("payment_intent"):
        payment = Payment.objects.filter(provider_reference=f"stripe:{obj['payment_intent']}").first()
        invoice = payment.invoice if payment else None
    if invoice is None:
        return "no matching invoice"
    refund_ids = [r["id"] for r in ((obj.get("refunds") or {}).get("data") or []) if r.get("id")]
    prefix = f"stripe-charge:{obj['id']}:"
    covered = sum(
        cn.total
        for cn in CreditNote.objects.filter(invoice=invoice)
        if cn.provider_reference.startswith(prefix) or set(cn.refund_ids) & set(refund_ids)
    )
    missing = int(obj.get("amount_refunded") or 0) - covered
    if missing <= 0:
        return "refund already credited"
    credit_notes.credit_note_issue(
        invoice=invoice,
        total=missing,
        reason="refund",
        provider_reference=f"{prefix}{obj.get('amount_refunded')}",
        refund_ids=refund_ids,
    )
    return "credit note issued"


def on_credit_note_created(obj: dict) -> str:
    invoice = _invoice_for(metadata=obj.get("metadata"), stripe_invoice_id=obj.get("invoice") or "")
    if invoice is None:
        return "no matching invoice"
    refund_ids = [r["refund"] for r in (obj.get("refunds") or []) if isinstance(r.get("refund"), str)]
    if obj.get("refund"):  # older API versions: one refund id
        refund_ids.append(obj["refund"])
    _note, created = credit_notes.credit_note_issue(
        invoice=invoice,
        total=int(obj.get("total") or 0),
        reason=obj.get("reason") or obj.get("memo") or "",
        provider_reference=f"stripe-cn:{obj['id']}",
        refund_ids=refund_ids,
    )
    return "credit note issued" if created else "credit note already issued"


HANDLERS = {
    "invoice.finalized": apply_stripe_invoice,
    "invoice.paid": apply_stripe_invoice,
    "invoice.voided": apply_stripe_invoice,
    "invoice.marked_uncollectible": apply_stripe_invoice,
    "invoice.payment_failed": on_invoice_payment_failed,
    "checkout.session.completed": on_checkout_paid,
    "checkout.session.async_payment_succeeded": on_checkout_paid,
    "checkout.session.async_payment_failed": on_checkout_failed,
    "charge.refunded": on_charge_refunded,
    "credit_note.created": on_credit_note_created,
}
