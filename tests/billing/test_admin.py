"""Staff in the Wagtail admin: record bank transfers, void, list and export."""

import pytest

from billing.models import InvoiceStatus, Payment
from membership.models import MembershipStatus

pytestmark = pytest.mark.django_db


def test_staff_record_a_partial_then_the_rest_of_a_transfer(client, admin_user, member):
    _u, _o, membership, invoice = member
    client.force_login(admin_user)
    listing = client.get("/admin/billing/invoices/").content.decode()
    url = f"/admin/billing/invoices/record-transfer/{invoice.pk}/"
    assert invoice.number in listing and url in listing

    # Bad input: a clear message, what was typed kept, nothing written.
    bad = client.post(url, {"amount": "0", "received_on": "2026-11-30", "payer_name": "カクウコウギョウ"})
    assert bad.status_code == 200 and "カクウコウギョウ" in bad.content.decode()
    assert not Payment.objects.exists()

    half = invoice.total // 2
    transfer = {"amount": half, "received_on": "2026-11-30", "payer_name": "カクウコウギョウ", "reference": "B1"}
    # First what will happen, and nothing written; then the confirmation records it.
    summary = client.post(url, transfer)
    assert summary.status_code == 200 and not Payment.objects.exists()
    assert f"未払い残高 ¥{invoice.total - half:,} が残り" in summary.content.decode()
    assert "入金を記録" in summary.content.decode()
    client.post(url, {**transfer, "confirm": "1"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and invoice.amount_due == invoice.total - half
    response = client.post(
        url,
        {"amount": invoice.amount_due, "received_on": "2026-12-01", "payer_name": "カクウコウギョウ", "confirm": "1"},
        follow=True,
    )
    invoice.refresh_from_db()
    membership.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert membership.status == MembershipStatus.ACTIVE
    assert Payment.objects.count() == 2
    assert invoice.number in response.content.decode()
    assert url not in client.get("/admin/billing/invoices/").content.decode()  # nothing left to record


def test_staff_void_with_a_reason(client, admin_user, member):
    _u, _o, _m, invoice = member
    client.force_login(admin_user)
    client.post(f"/admin/billing/invoices/void/{invoice.pk}/", {"reason": "誤請求"})  # the confirmation page
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    client.post(f"/admin/billing/invoices/void/{invoice.pk}/", {"reason": "誤請求", "confirm": "1"})
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID
    assert invoice.transitions.get(to_status=InvoiceStatus.VOID).reason == "誤請求"


def test_non_staff_cannot_record_transfers(client, member):
    user, _o, _m, invoice = member
    client.force_login(user)
    response = client.post(
        f"/admin/billing/invoices/record-transfer/{invoice.pk}/",
        {"amount": invoice.total, "received_on": "2026-11-30", "payer_name": "x", "confirm": "1"},
    )
    assert response.status_code in (302, 403)
    assert not Payment.objects.exists()


def test_invoice_list_exports_csv(client, admin_user, member):
    _u, _o, _m, invoice = member
    client.force_login(admin_user)
    response = client.get("/admin/billing/invoices/?export=csv")
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert invoice.number in body and str(invoice.total) in body
