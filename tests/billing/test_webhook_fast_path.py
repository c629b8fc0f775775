"""The webhook's short way in (billing.middleware.WebhookFastPathMiddleware): a Stripe
delivery is verified, stored and queued without sessions, cookies, language or CSRF, and
every failure is a short plain-text answer with nothing stored."""

import json
import logging

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from billing.models import WebhookEvent
from tests.billing.stripe_fake import WEBHOOK_SECRET, event, invoice_object, resource, sign

pytestmark = pytest.mark.django_db

URL = "/billing/stripe/webhook/"


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def queued_tasks(settings):
    """The production arrangement: the ack only queues the work for a db_worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _deliver(client, body: str, **headers):
    headers.setdefault("HTTP_STRIPE_SIGNATURE", sign(body))
    return client.post(URL, data=body, content_type="application/json", **headers)


def _customer_event() -> str:
    return json.dumps(event("customer.created", resource("customer", id="cus_fast")))


def test_a_signed_delivery_from_a_signed_in_browser_sets_no_cookie_and_touches_no_session(
    client, admin_user, webhook_secret, queued_tasks
):
    client.force_login(admin_user)  # a session cookie the ack must neither read nor renew
    sessions_before = set(Session.objects.values_list("session_key", "expire_date"))
    with CaptureQueriesContext(connection) as queries:
        response = _deliver(client, _customer_event())
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response.headers["Content-Length"] == "2"  # no chunked encoding for a two-byte answer
    assert "Set-Cookie" not in response.headers and not response.cookies
    # Nothing the browser-facing stack adds: no language negotiation, no framing rule.
    assert "Vary" not in response.headers and "X-Frame-Options" not in response.headers
    assert set(Session.objects.values_list("session_key", "expire_date")) == sessions_before
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    if connection.vendor == "postgresql":
        # One autocommit statement writes the event and its task: one round trip, one commit.
        assert len(statements) == 1, statements
        assert statements[0].startswith('WITH event AS (INSERT INTO "billing_webhookevent"')
        assert 'INSERT INTO "django_tasks_database_dbtaskresult"' in statements[0]
    else:
        assert len(statements) == 2, statements
        assert statements[0].startswith('INSERT INTO "billing_webhookevent"')
        assert statements[1].startswith('INSERT INTO "django_tasks_database_dbtaskresult"')


def test_the_event_and_its_queued_task_are_stored_together_and_a_duplicate_adds_neither(
    client, webhook_secret, queued_tasks
):
    body = _customer_event()
    assert _deliver(client, body).content == b"ok"
    assert _deliver(client, body).content == b"duplicate"
    stored = WebhookEvent.objects.get()
    task = DBTaskResult.objects.get()
    assert task.task_path == "billing.tasks.process_webhook_event"
    assert task.args_kwargs["args"] == [stored.pk]


def test_when_the_task_cannot_be_stored_the_event_is_not_kept_and_stripe_gets_a_plain_500(
    webhook_secret, queued_tasks, monkeypatch, caplog
):
    from django_tasks_db.backend import DatabaseBackend

    client = Client(raise_request_exception=False)
    assert _deliver(client, _customer_event()).content == b"ok"
    taken = DBTaskResult.objects.get().id
    # The next task row collides with the first one's primary key: the write of the task
    # fails after the event's was sent, on either way of storing them.
    monkeypatch.setattr(DatabaseBackend, "_get_id", lambda self: taken)
    second = json.dumps(event("customer.updated", resource("customer", id="cus_fast")))
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = _deliver(client, second)
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/plain")
    assert b"<html" not in response.content.lower() and b"duplicate key" not in response.content
    # Rolled back with the task, so Stripe's next delivery of it is stored and queued anew.
    assert list(WebhookEvent.objects.values_list("type", flat=True)) == ["customer.created"]
    assert DBTaskResult.objects.count() == 1
    assert any(r.levelno == logging.ERROR and r.exc_info and URL in r.getMessage() for r in caplog.records)
    monkeypatch.undo()
    assert _deliver(client, second).content == b"ok"
    assert WebhookEvent.objects.count() == 2 and DBTaskResult.objects.count() == 2


def test_the_stored_body_is_byte_for_byte_what_was_signed(client, webhook_secret, queued_tasks):
    # Not how json.dumps would write it again: odd spacing, key order, escapes and raw Japanese.
    body = (
        '{ "type":"customer.created",\n  "id" : "evt_bytes_1", "data": {"object": '
        '{"id": "cus_bytes", "object": "customer", "name": "株式会社\\u30c6\u30b9\u30c8", "n": 1.50}}}'
    )
    assert _deliver(client, body).content == b"ok"
    stored = WebhookEvent.objects.get()
    assert stored.body.encode("utf-8") == body.encode("utf-8")
    assert stored.event_id == "evt_bytes_1" and stored.type == "customer.created"
    assert stored.payload["data"]["object"]["name"] == json.loads(body)["data"]["object"]["name"]


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe not utf-8",
        b"not json",
        b"[1, 2, 3]",
        json.dumps({"type": "invoice.paid"}).encode(),
        json.dumps({"id": "evt_" + "x" * 300, "type": "invoice.paid"}).encode(),
        json.dumps({"id": 42, "type": "invoice.paid"}).encode(),
    ],
    ids=["not utf-8", "not json", "not an object", "no id", "id too long", "id not a string"],
)
def test_a_correctly_signed_body_that_is_no_event_is_refused_with_nothing_stored(client, webhook_secret, body):
    header = sign(body.decode("utf-8", errors="replace"))
    response = client.post(URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert not WebhookEvent.objects.exists()


def test_an_oversized_body_is_a_plain_400_with_nothing_stored(client, webhook_secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = _customer_event()
    assert len(body) > 1_000
    response = _deliver(client, body)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert not WebhookEvent.objects.exists()


def test_a_host_outside_allowed_hosts_is_a_400_with_nothing_stored(client, webhook_secret):
    response = _deliver(client, _customer_event(), HTTP_HOST="webhooks.attacker.example")
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_get_is_refused_without_cookies(client, webhook_secret):
    response = client.get(URL)
    assert response.status_code == 405
    assert not response.cookies
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize(
    "path", ["/ja/billing/stripe/webhook/", "/en/billing/stripe/webhook/", "/billing/stripe/webhook"]
)
def test_only_the_exact_webhook_path_takes_the_short_way(client, member, webhook_secret, path):
    _u, _o, _m, invoice = member
    body = json.dumps(event("invoice.paid", invoice_object(invoice, status="paid")))
    response = client.post(path, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body))
    assert response.status_code != 200
    assert not WebhookEvent.objects.exists()
    # The browser-facing stack answered, with its own headers.
    assert "Vary" in response.headers


# With the production task backend: the ack only queues, django-tasks-db's own db_worker applies.


@pytest.fixture
def approved_with_queued_tasks(settings, webhook_secret, mailoutbox):
    """An approved membership and its open invoice, approved with the immediate backend;
    from then on the ack only queues the work, as in production. The approval's mail is
    cleared so that only the deliveries' mail counts."""
    from tests.billing.conftest import approve, make_issuer, make_member

    make_issuer()
    user, org = make_member()
    membership, invoice = approve(org, user)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mailoutbox.clear()
    return membership, invoice


def _run_db_worker():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_queued_deliveries_are_applied_once_by_the_real_db_worker(client, approved_with_queued_tasks, mailoutbox):
    from billing.models import Payment, WebhookEventStatus
    from membership.models import MembershipStatus

    membership, invoice = approved_with_queued_tasks
    paid = json.dumps(event("invoice.paid", invoice_object(invoice, status="paid")))
    finalized = json.dumps(event("invoice.finalized", invoice_object(invoice, status="open")))
    answers = [_deliver(client, body).content for body in (paid, finalized, paid, paid)]
    assert answers == [b"ok", b"ok", b"duplicate", b"duplicate"]
    # Acknowledged, not yet applied: the work waits for the worker.
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {WebhookEventStatus.RECEIVED}
    assert not Payment.objects.exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 2

    _run_db_worker()

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert set(WebhookEvent.objects.values_list("status", flat=True)) == {WebhookEventStatus.PROCESSED}
    assert Payment.objects.get().amount == invoice.total
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.transitions.filter(to_status=MembershipStatus.ACTIVE).count() == 1
    assert len([m for m in mailoutbox if "Payment received" in m.subject]) == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_event_10_times_at_once_queues_one_task_and_pays_once(mailoutbox, request):
    import threading

    from django.db import connections

    from billing.models import Payment
    from membership.models import MembershipStatus

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a database that several threads can open at once (PostgreSQL, or SQLite on disk)")
    membership, invoice = request.getfixturevalue("approved_with_queued_tasks")
    body = json.dumps(event("invoice.paid", invoice_object(invoice, status="paid")))
    barrier = threading.Barrier(10)
    answers = []

    def deliver():
        try:
            barrier.wait()
            answers.append(_deliver(Client(), body).content)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [b"duplicate"] * 9 + [b"ok"]
    assert WebhookEvent.objects.count() == 1 and DBTaskResult.objects.count() == 1

    _run_db_worker()

    assert Payment.objects.count() == 1
    membership.refresh_from_db()
    assert membership.transitions.filter(to_status=MembershipStatus.ACTIVE).count() == 1
    assert len([m for m in mailoutbox if "Payment received" in m.subject]) == 1


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_the_database_dropped_still_stores_the_delivery(settings):
    if connection.vendor != "postgresql":
        pytest.skip("a kept connection is PostgreSQL's (SQLite opens one per request)")
    from django.db import connections

    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = Client(raise_request_exception=False)
    assert _deliver(client, _customer_event()).content == b"ok"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    # The server ends the web process's connection, as a restart or an idle timeout would.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    second = json.dumps(event("customer.updated", resource("customer", id="cus_fast")))
    response = _deliver(client, second)
    assert (response.status_code, response.content) == (200, b"ok")
    assert WebhookEvent.objects.count() == 2 and DBTaskResult.objects.count() == 2
