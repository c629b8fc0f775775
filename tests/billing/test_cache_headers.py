"""Invoices, receipts and credit notes (pages and PDFs, the member's and the staff's)
are never kept by a browser or a shared cache: `Cache-Control: private, no-store`."""

import pytest

from billing.models import PaymentMethod
from billing.services.credit_notes import credit_note_issue
from billing.services.payments import payment_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_invoice_with_note(member):
    user, _org, _m, invoice = member
    payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    note, _ = credit_note_issue(invoice=invoice, total=5_500, reason="一部返金")
    return user, invoice, note


def _assert_not_kept(response):
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("suffix", ["", "{pk}/", "{pk}/pdf/", "{pk}/receipt/", "{pk}/credit-notes/{note}/"])
def test_the_members_invoice_pages_and_pdfs_are_not_kept(client, paid_invoice_with_note, suffix, language):
    user, invoice, note = paid_invoice_with_note
    client.force_login(user)
    _assert_not_kept(client.get(f"/{language}/members/invoices/" + suffix.format(pk=invoice.pk, note=note.pk)))


@pytest.mark.parametrize(
    "path",
    [
        "/admin/billing/invoices/",
        "/admin/billing/invoices/?export=csv",
        "/admin/billing/invoices/inspect/{pk}/",
        "/admin/billing/credit-notes/",
        "/admin/billing/credit-notes/inspect/{note}/",
        "/admin/billing/credit-notes/pdf/{note}/ja/",
        "/admin/billing/credit-notes/pdf/{note}/en/",
    ],
)
def test_the_staffs_invoice_screens_and_pdfs_are_not_kept(admin_client, paid_invoice_with_note, path):
    _user, invoice, note = paid_invoice_with_note
    _assert_not_kept(admin_client.get(path.format(pk=invoice.pk, note=note.pk)))
