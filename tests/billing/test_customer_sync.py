"""The Stripe customer follows the organization: a change of name, address, billing contact
or corporate/T number is sent in a background task, once, and only when Stripe is set up
and the organization already has a customer there."""

import pytest

from billing.customer_tasks import sync_stripe_customer
from billing.models import BillingCustomer
from membership import services as ms
from tests.billing.conftest import approve, make_member

pytestmark = pytest.mark.django_db

NEW_T = "T4000012090001"


@pytest.fixture
def customer(issuer, fake_stripe):
    user, org = make_member()
    approve(org, user)  # the first invoice went to Stripe with a new customer
    bc = BillingCustomer.objects.get(organization=org)
    assert bc.stripe_customer_id in fake_stripe.customers
    return user, org, bc


def update(user, org, capture, **fields):
    with capture(execute=True):
        ms.organization_update(organization=org, by=user, **fields)


def test_a_changed_organization_updates_its_stripe_customer(customer, fake_stripe, django_capture_on_commit_callbacks):
    user, org, bc = customer
    posts_before = len(fake_stripe.posts())
    update(
        user,
        org,
        django_capture_on_commit_callbacks,
        legal_name="新共創テック株式会社",
        postal_code="100-0005",
        address="東京都千代田区丸の内1-1-1",
        billing_contact_email="keiri@new.example.jp",
        billing_contact_name="経理 花子",
        invoice_registration_number=NEW_T,
    )
    stripe_customer = fake_stripe.customers[bc.stripe_customer_id]
    assert stripe_customer["name"] == "新共創テック株式会社"
    assert stripe_customer["email"] == "keiri@new.example.jp"
    assert stripe_customer["address"]["line1"] == "東京都千代田区丸の内1-1-1"
    assert stripe_customer["address"]["postal_code"] == "100-0005"
    assert stripe_customer["metadata"]["billing_contact"] == "経理 花子"
    # A T-number cannot be edited at Stripe: the old one goes, the new one comes.
    assert [(t["type"], t["value"]) for t in fake_stripe.tax_ids[bc.stripe_customer_id]] == [("jp_trn", NEW_T)]
    assert any(r["method"] == "DELETE" for r in fake_stripe.requests)
    new_posts = fake_stripe.posts()[posts_before:]
    assert new_posts and all(r["key"].startswith("kyoso-") and str(org.pk) in r["key"] for r in new_posts)

    # Idempotent: running the task again sends nothing.
    count = len(fake_stripe.requests)
    assert sync_stripe_customer.enqueue(org.pk).return_value == "synced"
    assert [r for r in fake_stripe.requests[count:] if r["method"] != "GET"] == []

    # Back to the old name: a new update with its own key (not a replay of an earlier one).
    keys = {
        r["key"]
        for r in fake_stripe.posts(f"/v1/customers/{bc.stripe_customer_id}")
        if r["path"].endswith(bc.stripe_customer_id)
    }
    update(user, org, django_capture_on_commit_callbacks, legal_name="架空工業株式会社X")
    update(user, org, django_capture_on_commit_callbacks, legal_name="新共創テック株式会社")
    assert fake_stripe.customers[bc.stripe_customer_id]["name"] == "新共創テック株式会社"
    updates = [
        r
        for r in fake_stripe.posts(f"/v1/customers/{bc.stripe_customer_id}")
        if r["path"].endswith(bc.stripe_customer_id)
    ]
    assert len({r["key"] for r in updates}) == len(updates) == len(keys) + 2


def test_a_corporate_number_is_sent_as_a_jp_cn_tax_id(customer, fake_stripe, django_capture_on_commit_callbacks):
    user, org, bc = customer
    update(user, org, django_capture_on_commit_callbacks, corporate_number="4000012090001")
    types = {t["type"]: t["value"] for t in fake_stripe.tax_ids[bc.stripe_customer_id]}
    assert types == {"jp_trn": "T7000012050002", "jp_cn": "4000012090001"}
    assert fake_stripe.customers[bc.stripe_customer_id]["metadata"]["corporate_number"] == "4000012090001"


def test_a_field_stripe_does_not_carry_sends_nothing(customer, fake_stripe, django_capture_on_commit_callbacks):
    user, org, _bc = customer
    count = len(fake_stripe.requests)
    update(user, org, django_capture_on_commit_callbacks, website="https://kaku.example.co.jp/")
    assert fake_stripe.requests[count:] == []


def test_no_customer_at_stripe_yet_means_nothing_is_sent(issuer, fake_stripe, django_capture_on_commit_callbacks):
    user, org = make_member()
    update(user, org, django_capture_on_commit_callbacks, legal_name="未請求株式会社")
    assert fake_stripe.requests == [] and not BillingCustomer.objects.exists()


def test_without_stripe_nothing_is_attempted(issuer, django_capture_on_commit_callbacks, settings):
    settings.BILLING_STRIPE_SECRET_KEY = ""
    user, org = make_member()
    BillingCustomer.objects.create(organization=org, stripe_customer_id="cus_left_from_before")
    update(user, org, django_capture_on_commit_callbacks, legal_name="銀行振込株式会社")
    assert sync_stripe_customer.enqueue(org.pk).return_value == "the payment provider keeps no customers"
    assert BillingCustomer.objects.get().sync_count == 0


def test_a_staff_edit_in_the_admin_updates_the_stripe_customer_too(
    customer, fake_stripe, admin_client, django_capture_on_commit_callbacks
):
    _user, org, bc = customer
    from django.forms.models import model_to_dict

    from membership.forms import ORGANIZATION_FIELDS

    data = {k: ("" if v is None else v) for k, v in model_to_dict(org, fields=ORGANIZATION_FIELDS).items()}
    data["legal_name"] = "管理画面で直した株式会社"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/membership_organization/edit/{org.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.legal_name == "管理画面で直した株式会社"
    assert fake_stripe.customers[bc.stripe_customer_id]["name"] == "管理画面で直した株式会社"


def _customer_writes(fake_stripe, since: int) -> list[dict]:
    return [r for r in fake_stripe.requests[since:] if r["path"].startswith("/v1/customers") and r["method"] != "GET"]


def test_a_failed_sync_stays_marked_and_reconcile_sends_it_once(
    customer, fake_stripe, django_capture_on_commit_callbacks
):
    import io

    from django.core.management import call_command

    user, org, bc = customer
    fake_stripe.fail_next = 1  # Stripe is down when the change is sent
    update(user, org, django_capture_on_commit_callbacks, legal_name="障害中株式会社")
    bc.refresh_from_db()
    assert fake_stripe.customers[bc.stripe_customer_id]["name"] != "障害中株式会社"
    assert bc.sync_pending_since is not None and "fake outage" in bc.sync_error

    out, err = io.StringIO(), io.StringIO()
    call_command("billing_reconcile", stdout=out, stderr=err)
    bc.refresh_from_db()
    assert fake_stripe.customers[bc.stripe_customer_id]["name"] == "障害中株式会社"
    assert (bc.sync_pending_since, bc.sync_error) == (None, "")
    assert f"customer {bc.stripe_customer_id}: synced" in out.getvalue() and err.getvalue() == ""

    since = len(fake_stripe.requests)
    call_command("billing_reconcile", stdout=io.StringIO(), stderr=io.StringIO())
    assert _customer_writes(fake_stripe, since) == []


def test_a_change_whose_after_commit_work_never_ran_is_sent_by_the_next_reconcile(
    customer, fake_stripe, django_capture_on_commit_callbacks
):
    from billing.services.customers import billing_customers_reconcile

    user, org, bc = customer
    # Neither the announcement nor the sync task after the commit ran (the process ended).
    with django_capture_on_commit_callbacks(execute=False):
        ms.organization_update(organization=org, by=user, billing_contact_email="new-keiri@example.jp")
    assert fake_stripe.customers[bc.stripe_customer_id]["email"] != "new-keiri@example.jp"
    assert billing_customers_reconcile() == [(bc, "sent")]
    assert fake_stripe.customers[bc.stripe_customer_id]["email"] == "new-keiri@example.jp"
    assert billing_customers_reconcile() == [(bc, "unchanged")]


def test_reconcile_keeps_going_when_stripe_still_fails_and_a_stale_customer_is_sent_again(
    customer, fake_stripe, settings
):
    import datetime as dt

    from django.utils import timezone

    from billing.services.customers import billing_customers_reconcile

    _user, org, bc = customer
    BillingCustomer.objects.filter(pk=bc.pk).update(synced_at=timezone.now() - dt.timedelta(days=45))
    fake_stripe.customers[bc.stripe_customer_id]["name"] = "ダッシュボードで変えた名前"
    fake_stripe.fail_next = 1
    ((_c, outcome),) = billing_customers_reconcile()
    assert outcome.startswith("failed:") and "fake outage" in outcome
    bc.refresh_from_db()
    assert bc.sync_pending_since is not None and bc.sync_error

    assert billing_customers_reconcile() == [(bc, "sent")]
    assert fake_stripe.customers[bc.stripe_customer_id]["name"] == org.legal_name
    bc.refresh_from_db()
    assert (bc.sync_pending_since, bc.sync_error) == (None, "")
    since = len(fake_stripe.requests)
    assert billing_customers_reconcile() == [(bc, "unchanged")]
    assert _customer_writes(fake_stripe, since) == []
