"""Staff actions on invoices that live at Stripe (its HTTP API faked): credit notes and
refunds made there first with an Idempotency-Key, Stripe's own events about them not
counted twice, void and uncollectible passed on, and an outage that writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from billing.models import CreditNote, InvoiceStatus, InvoiceTransition, PaymentMethod, TaxRate
from billing.providers.stripe import StripeProvider
from billing.services import credit_notes, invoices, payments
from billing.webhooks import apply_stripe_invoice, on_checkout_paid
from tests.billing.conftest import approve, make_member
from tests.billing.stripe_fake import checkout_object, event, invoice_object, post_event, resource
from tests.billing.test_staff_actions import staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(db):
    return staff_in("財務CM", "zaimu@kyoso.example.jp")


@pytest.fixture
def at_stripe(issuer, fake_stripe):
    user, org = make_member()
    _membership, invoice = approve(org, user)  # pushed to Stripe after the approval commits
    invoice.refresh_from_db()
    assert invoice.stripe_invoice_id
    return invoice


@pytest.fixture
def paid_at_stripe(at_stripe, fake_stripe):
    fake_stripe.invoices[at_stripe.stripe_invoice_id]["status"] = "paid"
    apply_stripe_invoice(invoice_object(at_stripe, status="paid"))
    at_stripe.refresh_from_db()
    assert at_stripe.status == InvoiceStatus.PAID
    return at_stripe


def standard():
    return TaxRate.objects.get(is_default=True).pk


def refund(invoice, by, *, amount=10_000, settlement="stripe_refund", request_id="req1"):
    return credit_notes.credit_note_create(
        invoice=invoice,
        amounts={standard(): amount},
        reason="途中解約",
        settlement=settlement,
        request_id=request_id,
        by=by,
    )


def charge_refunded(invoice, refund_id: str, amount: int, payment_intent: str = "pi_none") -> dict:
    charge = resource(
        "charge",
        id=f"ch_fake{invoice.pk}",
        amount=invoice.total,
        amount_refunded=amount,
        refunded=amount == invoice.total,
        payment_intent=payment_intent,
        metadata={"kyoso_invoice_id": str(invoice.pk)},
    )
    charge["refunds"] = {"object": "list", "data": [resource("refund", id=refund_id, amount=amount)], "has_more": False}
    return charge


def test_a_stripe_refund_is_a_stripe_credit_note_and_its_events_add_nothing(
    client, finance, paid_at_stripe, fake_stripe
):
    invoice = paid_at_stripe
    note, created = refund(invoice, finance)
    assert created and (note.total, note.tax, note.settlement) == (11_000, 1_000, "stripe_refund")
    call = fake_stripe.posts("/v1/credit_notes")[0]
    assert call["params"]["invoice"] == invoice.stripe_invoice_id
    assert call["params"]["refund_amount"] == "11000"  # JPY as an integer
    assert call["params"]["lines"][0]["unit_amount"] == "11000"
    assert call["key"] == f"kyoso-creditnote-{invoice.pk}-req1"
    stripe_note = next(iter(fake_stripe.credit_notes.values()))
    refund_id = stripe_note["refunds"][0]["refund"]
    assert note.provider_reference == f"stripe-cn:{stripe_note['id']}" and note.refund_ids == [refund_id]

    # The same confirmation again: Stripe replays its answer, nothing new anywhere.
    again, created = refund(invoice, finance)
    assert not created and again == note and len(fake_stripe.credit_notes) == 1

    # Stripe's own events about this credit note and its refund change nothing.
    for evt in (
        event("credit_note.created", stripe_note),
        event("charge.refunded", charge_refunded(invoice, refund_id, 11_000)),
    ):
        assert post_event(client, evt).status_code == 200
    assert CreditNote.objects.count() == 1


def test_stripes_event_arriving_first_is_completed_not_doubled(
    client, finance, paid_at_stripe, fake_stripe, monkeypatch
):
    invoice = paid_at_stripe
    original = StripeProvider.credit_note_create

    def webhook_wins_the_race(self, **kwargs):
        reference, refund_ids = original(self, **kwargs)
        stripe_note = fake_stripe.credit_notes[reference.removeprefix("stripe-cn:")]
        post_event(client, event("credit_note.created", stripe_note))  # processed before our write
        assert CreditNote.objects.count() == 1
        return reference, refund_ids

    monkeypatch.setattr(StripeProvider, "credit_note_create", webhook_wins_the_race)
    note, created = refund(invoice, finance)
    assert created and CreditNote.objects.count() == 1
    note.refresh_from_db()
    assert note.settlement == "stripe_refund" and note.created_by == finance and note.breakdown
    assert note.reason == "途中解約" and note.total == 11_000


def test_a_checkout_payment_is_refunded_on_its_payment_intent(client, finance, at_stripe, fake_stripe):
    invoice = at_stripe
    on_checkout_paid(checkout_object(invoice, payment_intent="pi_fake_checkout"))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    note, _ = refund(invoice, finance, amount=invoice.subtotal)
    call = fake_stripe.posts("/v1/refunds")[0]
    assert call["params"]["payment_intent"] == "pi_fake_checkout" and call["params"]["amount"] == str(note.total)
    assert call["key"] == f"kyoso-creditnote-{invoice.pk}-req1-refund"
    refund_id = next(iter(fake_stripe.refunds))
    assert note.refund_ids == [refund_id] and note.provider_reference == f"stripe-refund:{refund_id}"
    post_event(client, event("charge.refunded", charge_refunded(invoice, refund_id, note.total, "pi_fake_checkout")))
    assert CreditNote.objects.count() == 1


def test_a_bank_refund_of_an_invoice_at_stripe_is_recorded_there_as_settled_outside(finance, at_stripe, fake_stripe):
    payments.payment_record(invoice=at_stripe, amount=at_stripe.total, method=PaymentMethod.BANK_TRANSFER)
    fake_stripe.invoices[at_stripe.stripe_invoice_id]["status"] = "paid"  # paid out of band at Stripe
    note, _ = refund(at_stripe, finance, settlement="bank_refund")
    params = fake_stripe.posts("/v1/credit_notes")[0]["params"]
    assert params["out_of_band_amount"] == str(note.total) and "refund_amount" not in params
    # A refund through Stripe of money that never went through Stripe is refused.
    with pytest.raises(ValidationError) as exc:
        refund(at_stripe, finance, settlement="stripe_refund", request_id="req2")
    assert "settlement" in exc.value.message_dict
    assert CreditNote.objects.count() == 1 and len(fake_stripe.posts("/v1/credit_notes")) == 1


def test_a_stripe_outage_issues_nothing_and_says_so(client, finance, paid_at_stripe, fake_stripe):
    invoice = paid_at_stripe
    before = InvoiceTransition.objects.count()
    fake_stripe.fail_next = 10
    client.force_login(finance)
    url = f"/admin/billing/invoices/credit-note/{invoice.pk}/"
    data = {
        "request_id": "req9",
        "reason": "返金",
        "settlement": "stripe_refund",
        f"amount_{standard()}": "1000",
        "confirm": "1",
    }
    page = client.post(url, data).content.decode()
    assert "決済サービスで返還請求書を発行できなかった" in page
    assert not CreditNote.objects.exists() and InvoiceTransition.objects.count() == before
    # Once Stripe answers again, confirming the same form goes through, once.
    fake_stripe.fail_next = 0
    client.post(url, data)
    assert CreditNote.objects.count() == 1


@pytest.mark.parametrize(
    ("action", "path"), [("invoice_void", "void"), ("invoice_mark_uncollectible", "mark_uncollectible")]
)
def test_void_and_uncollectible_reach_stripe_after_commit(
    finance, at_stripe, fake_stripe, action, path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        getattr(invoices, action)(invoice=at_stripe, by=finance, reason="二重請求")
    call = fake_stripe.posts(f"/v1/invoices/{at_stripe.stripe_invoice_id}/{path}")[0]
    assert call["key"] == f"kyoso-invoice-{at_stripe.pk}-{'void_invoice' if path == 'void' else path}"
    assert fake_stripe.invoices[at_stripe.stripe_invoice_id]["status"] in ("void", "uncollectible")
