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


def test_when_queueing_fails_the_event_is_not_kept_and_stripe_gets_a_plain_500(
    webhook_secret, queued_tasks, monkeypatch, caplog
):
    from django_tasks_db.backend import DatabaseBackend

    def down(*args, **kwargs):
        raise RuntimeError("task queue unavailable")

    monkeypatch.setattr(DatabaseBackend, "enqueue", down)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = _deliver(client, _customer_event())
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/plain")
    assert b"<html" not in response.content.lower() and b"task queue" not in response.content
    # Rolled back with the task, so Stripe's next delivery of it is stored and queued anew.
    assert not WebhookEvent.objects.exists()
    assert any(r.levelno == logging.ERROR and r.exc_info and URL in r.getMessage() for r in caplog.records)


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
