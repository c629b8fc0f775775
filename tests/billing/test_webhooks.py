"""Stripe webhooks: really signed bodies, stored once, applied once, in any order."""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from billing.models import CreditNote, InvoiceStatus, Payment, WebhookEvent, WebhookEventStatus
from membership.models import MembershipStatus
from tests.billing.stripe_fake import (
    WEBHOOK_SECRET,
    checkout_object,
    event,
    invoice_object,
    post_event,
    resource,
    sign,
)

pytestmark = pytest.mark.django_db


def _payment_mails(mailoutbox):
    return [m for m in mailoutbox if "Payment received" in m.subject]


@pytest.mark.parametrize(
    "how",
    ["tampered body", "wrong secret", "missing header", "stale timestamp"],
)
def test_forged_or_stale_deliveries_are_refused_and_nothing_is_stored(client, member, how):
    _u, _o, membership, invoice = member
    body = json.dumps(event("invoice.paid", invoice_object(invoice, status="paid")))
    header = sign(body)
    if how == "tampered body":
        body = body.replace(str(invoice.total), str(invoice.total * 10))
    elif how == "wrong secret":
        header = sign(body, secret="whsec_someone_else")
    elif how == "stale timestamp":
        header = sign(body, timestamp=int(time.time()) - 301)
    kwargs = {} if how == "missing header" else {"HTTP_STRIPE_SIGNATURE": header}
    response = client.post("/billing/stripe/webhook/", data=body, content_type="application/json", **kwargs)
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    assert not Payment.objects.exists()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.INVOICED


def test_the_same_event_50_times_pays_once(client, member, mailoutbox, django_capture_on_commit_callbacks):
    _u, _o, membership, invoice = member
    evt = event("invoice.paid", invoice_object(invoice, status="paid"))
    with django_capture_on_commit_callbacks(execute=True):
        responses = [post_event(client, evt) for _ in range(50)]
    assert {r.status_code for r in responses} == {200}
    assert WebhookEvent.objects.get().status == WebhookEventStatus.PROCESSED
    assert Payment.objects.get().amount == invoice.total
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.transitions.filter(to_status=MembershipStatus.ACTIVE).count() == 1
    assert len(_payment_mails(mailoutbox)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["immediate", "database"])
def test_the_same_event_10_times_at_once_pays_once(mailoutbox, settings, backend):
    from tests.billing.conftest import approve, make_issuer, make_member

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a database that several threads can open at once (PostgreSQL, or SQLite on disk)")
    settings.BILLING_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    make_issuer()
    user, org = make_member()
    membership, invoice = approve(org, user)
    if backend == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    evt = event("invoice.paid", invoice_object(invoice, status="paid"))
    barrier = threading.Barrier(10)
    statuses = []

    def deliver():
        from django.db import connections

        try:
            barrier.wait()
            statuses.append(post_event(Client(), evt).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 10
    assert WebhookEvent.objects.count() == 1
    if backend == "database":
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.count() == 1
        _run_db_worker()
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert membership.transitions.filter(to_status=MembershipStatus.ACTIVE).count() == 1
    assert len(_payment_mails(mailoutbox)) == 1


def test_paid_before_finalized_ends_paid(client, member):
    _u, _o, membership, invoice = member
    post_event(client, event("invoice.paid", invoice_object(invoice, status="paid")))
    post_event(client, event("invoice.finalized", invoice_object(invoice, status="open")))
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.stripe_invoice_id == f"in_fake{invoice.pk}"
    assert membership.status == MembershipStatus.ACTIVE
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {WebhookEventStatus.PROCESSED}


def test_handler_error_rolls_back_is_recorded_and_a_retry_succeeds(client, member, monkeypatch, admin_user):
    from billing.subjects import membership as glue

    _u, _o, membership, invoice = member
    real = glue.membership_services.membership_activate

    def broken(**kwargs):
        raise RuntimeError("membership service unavailable")

    monkeypatch.setattr(glue.membership_services, "membership_activate", broken)
    response = post_event(client, event("invoice.paid", invoice_object(invoice, status="paid")))
    assert response.status_code == 200  # acknowledged: the failure is ours to retry
    stored = WebhookEvent.objects.get()
    assert stored.status == WebhookEventStatus.FAILED
    assert "membership service unavailable" in stored.last_error
    assert not Payment.objects.exists()  # the payment written before the error was rolled back
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN

    monkeypatch.setattr(glue.membership_services, "membership_activate", real)
    client.force_login(admin_user)
    listing = client.get("/admin/billing/webhook-events/?status=failed")
    assert listing.status_code == 200
    retry_url = f"/admin/billing/webhook-events/retry/{stored.pk}/"
    assert retry_url in listing.content.decode()
    assert client.post(retry_url).status_code == 302
    stored.refresh_from_db()
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert stored.status == WebhookEventStatus.PROCESSED and stored.attempts == 2
    assert Payment.objects.count() == 1 and invoice.status == InvoiceStatus.PAID
    assert membership.status == MembershipStatus.ACTIVE


def test_unknown_event_type_is_acknowledged_and_ignored(client, member):
    response = post_event(client, event("customer.created", resource("customer", id="cus_x")))
    assert response.status_code == 200
    assert WebhookEvent.objects.get().status == WebhookEventStatus.IGNORED
    assert not Payment.objects.exists()


def test_checkout_completed_pays_and_async_success_does_not_pay_twice(client, member):
    _u, _o, membership, invoice = member
    session = checkout_object(invoice)
    post_event(client, event("checkout.session.completed", session))
    post_event(client, event("checkout.session.async_payment_succeeded", session))
    assert Payment.objects.get().provider_reference == f"stripe:pi_fake{invoice.pk}"
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_unpaid_checkout_waits_and_failure_is_noted(client, member):
    _u, _o, membership, invoice = member
    session = checkout_object(invoice, payment_status="unpaid")
    post_event(client, event("checkout.session.completed", session))
    post_event(client, event("checkout.session.async_payment_failed", session))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and not Payment.objects.exists()
    assert invoice.transitions.filter(reason="Checkout payment failed").exists()


def test_voided_and_uncollectible_follow_stripe(client, member, issuer):
    from billing.services.invoices import LineSpec, invoice_create_and_issue

    _u, org, _m, invoice = member
    post_event(client, event("invoice.marked_uncollectible", invoice_object(invoice, status="uncollectible")))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.UNCOLLECTIBLE
    post_event(client, event("invoice.voided", invoice_object(invoice, status="void")))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID
    other = invoice_create_and_issue(
        organization=org, lines=[LineSpec(description_ja="x", description_en="x", unit_price=100)]
    )
    post_event(client, event("invoice.payment_failed", invoice_object(other, status="open")))
    assert other.transitions.filter(reason="payment failed at Stripe").exists()


def test_refund_and_its_credit_note_make_one_qualified_credit_note(client, member):
    _u, _o, _m, invoice = member
    post_event(client, event("checkout.session.completed", checkout_object(invoice)))
    refund = {"id": "re_fake1", "object": "refund", "amount": 11_000}
    charge = resource(
        "charge",
        id="ch_fake1",
        payment_intent=f"pi_fake{invoice.pk}",
        amount=invoice.total,
        amount_refunded=11_000,
        refunded=False,
    )
    charge["refunds"] = {"object": "list", "data": [refund], "has_more": False, "url": "/v1/charges/ch_fake1/refunds"}
    note = resource("credit_note", id="cn_fake1", invoice="in_unknown", total=11_000, amount=11_000)
    note["metadata"] = {"kyoso_invoice_id": str(invoice.pk)}
    note["refunds"] = [{"amount_refunded": 11_000, "refund": "re_fake1", "type": "refund"}]
    post_event(client, event("charge.refunded", charge))
    post_event(client, event("credit_note.created", note))
    post_event(client, event("charge.refunded", charge))
    credit = CreditNote.objects.get()
    assert (credit.total, credit.tax, credit.subtotal) == (11_000, 1_000, 10_000)
    assert credit.refund_ids == ["re_fake1"]


# What Stripe sees at the door -------------------------------------------------------

URL = "/billing/stripe/webhook/"


def _deliver(client, body: str, **headers):
    headers.setdefault("HTTP_STRIPE_SIGNATURE", sign(body))
    return client.post(URL, data=body, content_type="application/json", **headers)


def _customer_event(type_: str = "customer.created") -> str:
    return json.dumps(event(type_, resource("customer", id="cus_door")))


def _deeply_nested() -> bytes:
    depth = 100_000  # far beyond what Python's JSON parser recurses into
    return ('{"id": "evt_deep", "type": "invoice.paid", "data": ' + "[" * depth + "]" * depth + "}").encode()


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe not utf-8",
        b"not json",
        b"[1, 2, 3]",
        json.dumps({"type": "invoice.paid"}).encode(),
        json.dumps({"id": "evt_" + "x" * 300, "type": "invoice.paid"}).encode(),
        json.dumps({"id": 42, "type": "invoice.paid"}).encode(),
        _deeply_nested(),
    ],
    ids=["not utf-8", "not json", "not an object", "no id", "id too long", "id not a string", "deeply nested"],
)
def test_a_correctly_signed_body_that_is_no_event_is_refused_with_nothing_stored(client, body):
    # Signed with the stripe library's own scheme and the site's secret: only the body is wrong.
    header = sign(body.decode("utf-8", errors="replace"))
    response = client.post(URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert not WebhookEvent.objects.exists()


def test_the_stored_body_is_byte_for_byte_what_was_signed(client):
    # Not how json.dumps would write it again: odd spacing, key order, escapes and raw Japanese.
    body = (
        '{ "type":"customer.created",\n  "id" : "evt_bytes_1", "data": {"object": '
        '{"id": "cus_bytes", "object": "customer", "name": "株式会社\\u30c6\u30b9\u30c8", "n": 1.50}}}'
    )
    assert _deliver(client, body).content == b"ok"
    stored = WebhookEvent.objects.get()
    assert stored.body.encode("utf-8") == body.encode("utf-8")
    assert (stored.event_id, stored.type) == ("evt_bytes_1", "customer.created")


def test_an_oversized_body_is_a_400_with_nothing_stored(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = _customer_event()
    assert len(body) > 1_000
    assert _deliver(client, body).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_get_is_refused(client):
    assert client.get(URL).status_code == 405
    assert not WebhookEvent.objects.exists()


def test_when_the_task_cannot_be_queued_the_event_is_not_kept_and_stripe_gets_a_500(settings):
    """Every delivery is accounted for: stored with its task, or refused so that Stripe
    delivers it again."""
    from django_tasks_db.models import DBTaskResult

    client = Client(raise_request_exception=False)
    settings.TASKS = {"default": {"BACKEND": "tests.billing.task_backends.UnavailableBackend"}}
    body = _customer_event()
    assert _deliver(client, body).status_code == 500
    assert not WebhookEvent.objects.exists()

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert _deliver(client, body).content == b"ok"  # Stripe's next delivery of the same event
    stored = WebhookEvent.objects.get()
    task = DBTaskResult.objects.get()
    assert task.task_path == "billing.tasks.process_webhook_event"
    assert task.args_kwargs["args"] == [stored.pk]


# With the production task backend: the view only queues, django-tasks-db's db_worker applies.


def _run_db_worker():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_queued_deliveries_are_applied_once_by_the_real_db_worker(client, settings, mailoutbox):
    from django_tasks_db.models import DBTaskResult

    from tests.billing.conftest import approve, make_issuer, make_member

    make_issuer()
    user, org = make_member()
    membership, invoice = approve(org, user)  # with the immediate backend
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mailoutbox.clear()

    paid = json.dumps(event("invoice.paid", invoice_object(invoice, status="paid")))
    finalized = json.dumps(event("invoice.finalized", invoice_object(invoice, status="open")))
    answers = [_deliver(client, body).content for body in (paid, finalized, paid, paid)]
    assert answers == [b"ok", b"ok", b"duplicate", b"duplicate"]
    # Acknowledged, not yet applied: the work waits for the worker.
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {WebhookEventStatus.RECEIVED}
    assert not Payment.objects.exists()
    assert DBTaskResult.objects.count() == 2

    _run_db_worker()

    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {WebhookEventStatus.PROCESSED}
    assert Payment.objects.get().amount == invoice.total
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.transitions.filter(to_status=MembershipStatus.ACTIVE).count() == 1
    assert len(_payment_mails(mailoutbox)) == 1
