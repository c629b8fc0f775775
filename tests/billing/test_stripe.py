"""The Stripe provider against a fake of Stripe's HTTP API (no network)."""

import io

import pytest
from django.core.management import call_command

from billing.models import BillingCustomer, InvoiceStatus, Payment
from membership.models import MembershipStatus, Seat, SeatRole
from tests.billing.conftest import PASSWORD, approve, make_member
from tests.membership.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_member(issuer, fake_stripe):
    user, org = make_member()
    membership, invoice = approve(org, user)  # runs the after-commit work: e-mail, push to Stripe
    invoice.refresh_from_db()
    return user, org, membership, invoice


def test_issuing_creates_customer_with_tax_id_and_a_send_invoice_in_jpy(stripe_member, fake_stripe, mailoutbox):
    _user, org, _m, invoice = stripe_member
    customer = fake_stripe.posts("/v1/customers")[0]
    assert customer["params"]["name"] == org.legal_name
    # The JP tax id goes with the customer; none is added twice.
    assert customer["params"]["tax_id_data"] == [{"type": "jp_trn", "value": "T7000012050002"}]
    customer_id = BillingCustomer.objects.get().stripe_customer_id
    assert [t["value"] for t in fake_stripe.tax_ids[customer_id]] == ["T7000012050002"]
    assert not fake_stripe.posts(f"/v1/customers/{customer_id}/tax_ids")
    created = fake_stripe.posts("/v1/invoices")[0]["params"]
    assert created["collection_method"] == "send_invoice"
    assert created["currency"] == "jpy"
    assert created["payment_settings"]["payment_method_types"] == ["card", "customer_balance"]
    assert (
        created["payment_settings"]["payment_method_options"]["customer_balance"]["bank_transfer"]["type"]
        == "jp_bank_transfer"
    )
    assert created["metadata"]["kyoso_invoice_id"] == str(invoice.pk)
    # Stripe's total is ours to the yen: lines plus our tax, as integers.
    amounts = [int(r["params"]["amount"]) for r in fake_stripe.posts("/v1/invoiceitems")]
    assert sum(amounts) == invoice.total and amounts == [invoice.subtotal, invoice.tax_total]
    assert invoice.stripe_invoice_id and invoice.stripe_hosted_url
    assert any(r["path"].endswith("/send") for r in fake_stripe.posts("/v1/invoices/"))
    # Every POST carries an idempotency key built from our ids.
    assert all(r["key"] and r["key"].startswith("kyoso-") for r in fake_stripe.posts())
    assert any(str(invoice.pk) in r["key"] for r in fake_stripe.posts("/v1/invoices"))
    # Our own e-mail with the qualified invoice still goes out.
    assert any(invoice.number in m.subject for m in mailoutbox)


def test_owner_pays_by_checkout_and_a_plain_member_cannot(stripe_member, fake_stripe, client):
    user, org, _m, invoice = stripe_member
    colleague = UserFactory(password=PASSWORD)
    Seat.objects.create(organization=org, user=colleague, role=SeatRole.MEMBER)
    client.force_login(colleague)
    page = client.get(f"/ja/members/invoices/{invoice.pk}/")
    assert "カードで支払う" not in page.content.decode()
    response = client.post(f"/ja/members/invoices/{invoice.pk}/pay/")
    assert response.status_code == 302 and response["Location"] == f"/ja/members/invoices/{invoice.pk}/"
    assert not fake_stripe.posts("/v1/checkout/sessions")

    client.force_login(user)
    assert "カードで支払う" in client.get(f"/ja/members/invoices/{invoice.pk}/").content.decode()
    response = client.post(f"/ja/members/invoices/{invoice.pk}/pay/")
    session = fake_stripe.posts("/v1/checkout/sessions")[0]["params"]
    assert response.status_code == 302 and response["Location"].startswith("http://127.0.0.1:9/checkout/")
    assert session["line_items"][0]["price_data"] == {
        "currency": "jpy",
        "unit_amount": str(invoice.total),
        "product_data": {"name": invoice.number},
    }
    assert session["metadata"]["kyoso_invoice_id"] == str(invoice.pk)


def test_stripe_outage_on_checkout_is_a_message_not_a_500(stripe_member, fake_stripe, client):
    user, _org, _m, invoice = stripe_member
    client.force_login(user)
    fake_stripe.fail_next = 10
    response = client.post(f"/ja/members/invoices/{invoice.pk}/pay/", follow=True)
    assert response.status_code == 200
    assert "カード決済サービスに接続できませんでした" in response.content.decode()


def test_reconcile_applies_a_payment_whose_webhook_never_came(stripe_member, fake_stripe):
    _user, _org, membership, invoice = stripe_member
    stripe_invoice = fake_stripe.invoices[invoice.stripe_invoice_id]
    stripe_invoice.update(status="paid", amount_paid=invoice.total, amount_remaining=0)
    out = io.StringIO()
    call_command("billing_reconcile", stdout=out)
    call_command("billing_reconcile", stdout=out)  # a second run changes nothing
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert Payment.objects.get().provider_reference == f"stripe:{invoice.stripe_invoice_id}"
    assert membership.status == MembershipStatus.ACTIVE
    assert "payment recorded" in out.getvalue()


def test_a_transfer_recorded_here_closes_the_stripe_invoice(
    stripe_member, fake_stripe, django_capture_on_commit_callbacks
):
    from billing.services.payments import payment_record

    _user, _org, _m, invoice = stripe_member
    with django_capture_on_commit_callbacks(execute=True):
        payment_record(invoice=invoice, amount=invoice.total, method="bank_transfer")
    pay = fake_stripe.posts(f"/v1/invoices/{invoice.stripe_invoice_id}/pay")[0]
    assert pay["params"] == {"paid_out_of_band": "true"}


def test_reconcile_invoices_an_approval_recorded_without_its_invoice(issuer, settings):
    """Approvals made before invoicing joined the approval's transaction may still be waiting."""
    from billing.models import Invoice
    from membership import services as ms
    from tests.membership.factories import TierFactory, record_clear_checks

    user, org = make_member()
    membership = ms.membership_apply(organization=org, tier=TierFactory(), by=user)
    record_clear_checks(ms.membership_start_screening(membership=membership, by=None))
    settings.MEMBERSHIP_ADAPTER = "membership.adapter.DefaultMembershipAdapter"
    ms.membership_approve(membership=membership, by=None)  # as approvals were before
    settings.MEMBERSHIP_ADAPTER = "billing.integration.BillingMembershipAdapter"
    assert not Invoice.objects.exists()
    call_command("billing_reconcile", stdout=io.StringIO())
    call_command("billing_reconcile", stdout=io.StringIO())
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.INVOICED
    assert Invoice.objects.get().subject == membership
