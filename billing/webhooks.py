"""Stripe webhooks: verify on the raw body, store each event once, acknowledge fast,
apply in a background task.

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
from django.db import IntegrityError, InterfaceError, OperationalError, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .app_settings import app_settings
from .models import CreditNote, Invoice, InvoiceStatus, Payment, PaymentMethod, WebhookEvent, WebhookEventStatus

logger = logging.getLogger(__name__)


# What the ack accepts as an event: the columns' own limits, so an oversized id is a 400
# rather than a database error.
_EVENT_ID_MAX = WebhookEvent._meta.get_field("event_id").max_length
_EVENT_TYPE_MAX = WebhookEvent._meta.get_field("type").max_length


def _refuse(reason: str) -> HttpResponse:
    return HttpResponse(reason, status=400, content_type="text/plain")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    secret = app_settings.STRIPE_WEBHOOK_SECRET
    signature = request.headers.get("Stripe-Signature", "")
    if not secret or not signature:
        return _refuse("missing signature")
    try:
        body = request.body.decode("utf-8")
        # The same check as stripe.Webhook.construct_event (HMAC over the raw body, the
        # tolerance on the timestamp) without the StripeObject tree it then builds: the ack
        # never reads it, and building it cost as much as the rest of the ack together.
        stripe.WebhookSignature.verify_header(body, signature, secret, app_settings.STRIPE_WEBHOOK_TOLERANCE)
    except (UnicodeDecodeError, stripe.SignatureVerificationError):
        return _refuse("invalid signature")
    try:
        payload = json.loads(body)
    except ValueError:
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

    The event and its queued task are written together or not at all: never an event
    stored without the task that applies it. A duplicate, also a concurrent one, adds
    neither; the first delivery already queued the work.
    """
    from .tasks import process_webhook_event

    fields = {"provider": provider, "event_id": event_id, "type": event_type, "body": body}
    statement = _OneStatementReceive.for_task(process_webhook_event)
    if statement is not None:
        return statement.store(process_webhook_event, fields)
    stored = None
    try:
        with transaction.atomic():
            stored = WebhookEvent.objects.create(**fields)
            # A db_worker sees the task only once this commits; the embedded immediate
            # backend applies the event right here, inside the same transaction.
            process_webhook_event.enqueue(stored.pk)
    except IntegrityError:
        if stored is not None:
            raise  # not the event id: something while queueing, which must not pass as a duplicate
        return False
    return True


class _OneStatementReceive:
    """PostgreSQL with django-tasks-db's DatabaseBackend: the event row and its task row in
    ONE autocommit statement,

        WITH event AS (INSERT INTO <event> ... ON CONFLICT (event_id) DO NOTHING RETURNING id)
        INSERT INTO <task result> SELECT ... FROM event

    instead of BEGIN, INSERT, INSERT, COMMIT (and a savepoint round trip for a duplicate).
    A statement is atomic, so both rows are stored or neither; a duplicate (a concurrent
    one waits for the first's commit) inserts no event, hence no task. One round trip, one
    WAL flush, no ORM work per delivery: under a burst the round trips (each a wake-up of a
    PostgreSQL backend on a busy CPU) were most of an ack's time (bench/webhooks/README.md).

    The task row is the one `DatabaseBackend.enqueue` would create, built by the same
    pieces (`validate_task`, the backend's id function, `normalize_json`, the model's field
    defaults, its `pre_save` receivers, the `task_enqueued` signal); only the INSERT is
    ours, with the event's new id written into the task's arguments by the database. The
    columns come from the installed models, so a pinned django-tasks-db schema is followed,
    and tests/billing/test_webhook_fast_path.py runs the real db_worker on such rows.
    """

    _cache: dict = {}

    @classmethod
    def for_task(cls, task) -> "_OneStatementReceive | None":
        from django.db import router
        from django_tasks_db import DatabaseBackend
        from django_tasks_db.models import DBTaskResult

        backend = task.get_backend()
        if not isinstance(backend, DatabaseBackend):
            return None
        alias = router.db_for_write(DBTaskResult)
        if connections[alias].vendor != "postgresql" or router.db_for_write(WebhookEvent) != alias:
            return None
        key = (backend.alias, alias)
        found = cls._cache.get(key)
        if found is None or found.backend is not backend:
            backend.validate_task(task)
            found = cls._cache[key] = cls(backend, alias)
        return found

    def __init__(self, backend, alias: str) -> None:
        from django_tasks_db.models import DBTaskResult

        self.backend, self.alias = backend, alias
        connection = connections[alias]
        quote = connection.ops.quote_name
        self.event_fields = [f for f in WebhookEvent._meta.concrete_fields if not f.primary_key and not f.generated]
        self.task_fields = list(DBTaskResult._meta.concrete_fields)
        self.args_kwargs = args_kwargs = DBTaskResult._meta.get_field("args_kwargs")
        task_values = [
            # The placeholder's first positional argument becomes the new event's id.
            "jsonb_set(%s, '{args,0}', to_jsonb(event.id))" if f is args_kwargs else "%s"
            for f in self.task_fields
        ]
        # Only identifiers from the models' own metadata go into the text; every value is a parameter.
        self.sql = " ".join(
            [
                "WITH event AS (INSERT INTO",
                quote(WebhookEvent._meta.db_table),
                "(" + ", ".join(quote(f.column) for f in self.event_fields) + ")",
                "VALUES (" + ", ".join(["%s"] * len(self.event_fields)) + ")",
                "ON CONFLICT (" + quote(WebhookEvent._meta.get_field("event_id").column) + ") DO NOTHING",
                "RETURNING " + quote(WebhookEvent._meta.pk.column) + " AS id)",
                "INSERT INTO",
                quote(DBTaskResult._meta.db_table),
                "(" + ", ".join(quote(f.column) for f in self.task_fields) + ")",
                "SELECT " + ", ".join(task_values) + " FROM event",  # noqa: S608 (placeholders only)
                "RETURNING " + quote(args_kwargs.column),
            ]
        )

    def store(self, task, fields: dict) -> bool:
        from django.db.models import signals
        from django_tasks.signals import task_enqueued
        from django_tasks.utils import normalize_json
        from django_tasks_db.models import DBTaskResult

        connection = connections[self.alias]
        event = WebhookEvent(**fields)
        db_task = DBTaskResult(
            id=self.backend._get_id(),
            args_kwargs=normalize_json({"args": [0], "kwargs": {}}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.backend.alias,
        )
        signals.pre_save.send(sender=DBTaskResult, instance=db_task, raw=False, using=self.alias, update_fields=None)
        params = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in self.event_fields]
        params += [f.get_db_prep_save(f.pre_save(db_task, True), connection) for f in self.task_fields]
        row = self._execute(connection, params)
        if row is None:
            return False
        db_task.args_kwargs = self.args_kwargs.from_db_value(row[0], None, connection)
        if task_enqueued.has_listeners():
            task_enqueued.send(type(self.backend), task_result=db_task.task_result)
        return True

    def _execute(self, connection, params: list):
        # Outside a transaction, skip Django's `SELECT 1` health check of a kept
        # connection (a round trip per request): the statement itself tells, and as it is
        # idempotent (ON CONFLICT DO NOTHING) it can be sent again on a new connection when
        # the kept one turns out broken -- even if the first one was committed, the second
        # then answers "duplicate", which is true.
        if connection.in_atomic_block:
            # Inside someone's transaction: a savepoint, so that a failure leaves it usable.
            with transaction.atomic(using=self.alias), connection.cursor() as cursor:
                cursor.execute(self.sql, params)
                return cursor.fetchone()
        again = connection.connection is not None
        if again:
            connection.health_check_done = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(self.sql, params)
                return cursor.fetchone()
        except (OperationalError, InterfaceError):
            if not again:
                raise
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchone()


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
        services.invoice_set_stripe(
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
        _payment, created = services.payment_record(
            invoice=invoice,
            amount=amount,
            method=PaymentMethod.STRIPE,
            provider_reference=f"stripe:{obj['id']}",
            received_at=_when(transitions.get("paid_at")),
            payer_name=obj.get("customer_name") or "",
        )
        return "payment recorded" if created else "payment already recorded"
    if status == "void" and invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE):
        services.invoice_void(invoice=invoice, reason="voided at Stripe")
        return "voided"
    if status == "uncollectible" and invoice.status == InvoiceStatus.OPEN:
        services.invoice_mark_uncollectible(invoice=invoice, reason="marked uncollectible at Stripe")
        return "uncollectible"
    return f"nothing to do (Stripe {status}, ours {invoice.status})"


def on_invoice_payment_failed(obj: dict) -> str:
    invoice = _invoice_for(metadata=obj.get("metadata"), stripe_invoice_id=obj.get("id", ""))
    if invoice is None:
        return "no matching invoice"
    services.invoice_note(invoice=invoice, reason="payment failed at Stripe", data={"stripe_invoice": obj.get("id")})
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
    _payment, created = services.payment_record(
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
    services.invoice_note(invoice=invoice, reason="Checkout payment failed", data={"session": obj.get("id")})
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
    services.credit_note_issue(
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
    _note, created = services.credit_note_issue(
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
