"""Issuing, numbering, bank transfers, overpayments, credit notes and the membership glue."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from billing.models import CreditEntry, Invoice, InvoiceStatus, InvoiceTransition, Payment, PaymentMethod
from billing.selectors import organization_credit_balance
from billing.services import credit_notes, invoices, payments
from billing.services.invoices import LineSpec, invoice_create, invoice_create_and_issue, invoice_issue
from billing.services.payments import payment_record
from membership.models import MembershipStatus
from tests.billing.conftest import make_member

pytestmark = pytest.mark.django_db


def _lines(price=10_000):
    return [LineSpec(description_ja="会費", description_en="Fee", unit_price=price)]


def test_approval_issues_a_numbered_qualified_invoice_and_marks_the_membership_invoiced(member):
    _user, org, membership, invoice = member
    assert membership.status == MembershipStatus.INVOICED
    assert invoice.status == InvoiceStatus.OPEN
    assert invoice.number.startswith(f"{invoice.fiscal_year}-") and len(invoice.number) == 11
    assert invoice.recipient_name == org.legal_name
    assert invoice.recipient_registration_number == "T7000012050002"
    assert invoice.issuer_registration_number == "T4500001234567"
    assert invoice.subtotal == membership.fee and invoice.total == membership.fee + membership.fee // 10
    assert invoice.subject == membership
    assert invoice.due_date - invoice.issue_date == dt.timedelta(days=30)


def test_drafts_have_no_number_and_numbers_are_gap_free_per_fiscal_year(issuer):
    _user, org = make_member()
    draft = invoice_create(organization=org, lines=_lines())
    assert draft.number is None
    march = [
        invoice_create_and_issue(organization=org, lines=_lines(), issue_date=dt.date(2027, 3, 31)) for _ in range(3)
    ]
    april = invoice_create_and_issue(organization=org, lines=_lines(), issue_date=dt.date(2027, 4, 1))
    assert [i.number for i in march] == ["2026-000001", "2026-000002", "2026-000003"]
    assert april.number == "2027-000001"
    invoice_issue(invoice=draft, issue_date=dt.date(2026, 12, 1))
    draft.refresh_from_db()
    assert draft.number == "2026-000004"
    with pytest.raises(invoices.TransitionNotAllowed):
        invoice_issue(invoice=draft)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_keeps_numbers_unique_and_gap_free():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers, so there is no concurrency to test")
    from tests.billing.conftest import make_issuer

    make_issuer()
    _user, org = make_member()
    drafts = [invoice_create(organization=org, lines=_lines()) for _ in range(24)]
    barrier = threading.Barrier(8)
    errors = []

    def worker(chunk):
        from django.db import connections

        try:
            barrier.wait()
            for draft in chunk:
                invoice_issue(invoice=draft, issue_date=dt.date(2026, 6, 1))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(drafts[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"2026-{n:06d}" for n in range(1, 25)]


def test_bank_transfer_partial_then_rest_is_paid_once(member, django_capture_on_commit_callbacks, mailoutbox):
    user, org, membership, invoice = member
    with django_capture_on_commit_callbacks(execute=True):
        payment_record(
            invoice=invoice,
            amount=invoice.total // 2,
            method=PaymentMethod.BANK_TRANSFER,
            payer_name="カクウコウギョウ",
            by=user,
        )
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and invoice.amount_due == invoice.total - invoice.total // 2
    assert membership.status == MembershipStatus.INVOICED
    with django_capture_on_commit_callbacks(execute=True):
        payment_record(invoice=invoice, amount=invoice.amount_due, method=PaymentMethod.BANK_TRANSFER, by=user)
        # The same bank reference again is the same transfer.
        payment_record(invoice=invoice, amount=1, method=PaymentMethod.BANK_TRANSFER, provider_reference="bank:X")
        payment_record(invoice=invoice, amount=1, method=PaymentMethod.BANK_TRANSFER, provider_reference="bank:X")
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and invoice.amount_due == 0
    assert membership.status == MembershipStatus.ACTIVE
    assert InvoiceTransition.objects.filter(invoice=invoice, to_status=InvoiceStatus.PAID).count() == 1
    assert membership.transitions.filter(to_status=MembershipStatus.ACTIVE).count() == 1
    assert len([m for m in mailoutbox if "Payment received" in m.subject]) == 1
    # The stray yen after it was paid is kept as credit, not lost.
    assert organization_credit_balance(organization=org) == 1


def test_overpayment_is_kept_as_credit_and_can_pay_the_next_invoice(member):
    user, org, _membership, invoice = member
    payment_record(invoice=invoice, amount=invoice.total + 5_000, method=PaymentMethod.BANK_TRANSFER, by=user)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert organization_credit_balance(organization=org) == 5_000
    assert CreditEntry.objects.get(organization=org).payment.invoice == invoice
    nxt = invoice_create_and_issue(organization=org, lines=_lines(price=3_000))
    payment = payments.credit_apply(invoice=nxt)
    nxt.refresh_from_db()
    assert payment.amount == 3_300 and nxt.status == InvoiceStatus.PAID
    assert organization_credit_balance(organization=org) == 1_700


def test_payment_to_a_void_invoice_becomes_credit(member):
    user, org, _m, invoice = member
    invoices.invoice_void(invoice=invoice, by=user, reason="wrong tier")
    payment_record(invoice=invoice, amount=1_000, method=PaymentMethod.BANK_TRANSFER)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID
    assert organization_credit_balance(organization=org) == 1_000
    with pytest.raises(invoices.TransitionNotAllowed):
        invoices.invoice_mark_uncollectible(invoice=invoice)


def test_bad_amounts_are_refused_and_nothing_is_written(member):
    _u, _o, _m, invoice = member
    with pytest.raises(ValidationError):
        payment_record(invoice=invoice, amount=0, method=PaymentMethod.BANK_TRANSFER)
    with pytest.raises(ValidationError):
        payment_record(invoice=invoice, amount=10, method="cash")
    assert not Payment.objects.exists()


def test_credit_note_for_a_refund(member):
    user, _org, _m, invoice = member
    payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    note, created = credit_notes.credit_note_issue(invoice=invoice, total=11_000, reason="返金", by=user)
    assert created and note.number == f"{invoice.number}-C1"
    assert (note.subtotal, note.tax, note.total) == (10_000, 1_000, 11_000)
    again, created = credit_notes.credit_note_issue(
        invoice=invoice, total=11_000, provider_reference=note.provider_reference
    )
    assert not created and again == note
    with pytest.raises(ValidationError):
        credit_notes.credit_note_issue(invoice=invoice, total=invoice.total)  # more than is left


def test_renewal_due_issues_one_invoice_per_term_and_payment_renews(member):
    from membership.adapter import get_adapter
    from membership.fiscal import fiscal_year_of, term_of

    user, _org, membership, invoice = member
    payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    membership.refresh_from_db()
    nxt = term_of(fiscal_year_of(membership.term_start) + 1)
    for _ in range(2):
        get_adapter().on_renewal_due(membership=membership, next_term=nxt, fee=96_000)
    renewal = Invoice.objects.get(object_id=membership.pk, period=str(nxt.fiscal_year))
    assert renewal.total == 105_600
    payment_record(invoice=renewal, amount=renewal.total, method=PaymentMethod.BANK_TRANSFER)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE and membership.term_end == nxt.end


def test_invoice_mails_address_the_billing_contact_with_sama(member, django_capture_on_commit_callbacks, mailoutbox):
    user, org, membership, invoice = member
    with django_capture_on_commit_callbacks(execute=True):
        payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER, by=user)
    body = next(m.body for m in mailoutbox if "Payment received" in m.subject)
    japanese, english = body.split("----------------------------------------")
    assert f"\n{org.billing_contact_name} 様\n" in japanese
    assert f"\nDear {org.billing_contact_name},\n" in english


def test_billings_announcements_come_after_the_commit_and_a_failing_listener_undoes_no_payment(
    member, django_capture_on_commit_callbacks
):
    from billing import signals

    _user, _org, membership, invoice = member
    heard = []

    def broken(sender, invoice, **kwargs):
        heard.append(Invoice.objects.get(pk=invoice.pk).status)
        raise RuntimeError("CRM unavailable")

    signals.invoice_paid.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
            assert heard == []  # not before the commit
    finally:
        signals.invoice_paid.disconnect(dispatch_uid="test-broken")
    assert heard == [InvoiceStatus.PAID]
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID and Payment.objects.filter(invoice=invoice).count() == 1
    assert membership.status == MembershipStatus.ACTIVE  # billing's own part ran in the payment's transaction
