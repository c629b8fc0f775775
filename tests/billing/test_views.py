"""The member area: who sees which invoice, in which language, and the documents."""

import io

import pytest
from pypdf import PdfReader

from billing.models import PaymentMethod
from billing.services.payments import payment_record
from tests.billing.conftest import make_member

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_member_sees_the_invoice_and_how_to_pay(client, member):
    user, org, _m, invoice = member
    client.force_login(user)
    listing = client.get("/ja/members/invoices/").content.decode()
    assert invoice.number in listing and f"¥{invoice.total:,}" in listing and "未払い" in listing
    detail = client.get(f"/ja/members/invoices/{invoice.pk}/").content.decode()
    assert "お支払い方法" in detail and "共創銀行 片平支店 普通 1234567" in detail
    assert "T4500001234567" in detail and org.legal_name in detail
    english = client.get(f"/en/members/invoices/{invoice.pk}/").content.decode()
    assert "How to pay" in english and "Kyoso Bank, Katahira Branch" in english
    assert f"/en/members/invoices/{invoice.pk}/receipt/" not in english  # no receipt before payment
    assert client.get(f"/ja/members/invoices/{invoice.pk}/receipt/").status_code == 404


def test_other_companies_and_strangers_get_nothing(client, member):
    _user, _org, _m, invoice = member
    outsider, _other_org = make_member()
    client.force_login(outsider)
    assert invoice.number not in client.get("/ja/members/invoices/").content.decode()
    for suffix in ("", "pdf/", "receipt/"):
        assert client.get(f"/ja/members/invoices/{invoice.pk}/{suffix}").status_code == 404
    assert client.post(f"/ja/members/invoices/{invoice.pk}/pay/").status_code == 404
    client.logout()
    assert client.get(f"/ja/members/invoices/{invoice.pk}/").status_code == 302


def test_invoice_pdf_holds_every_item_a_qualified_invoice_needs(client, member):
    user, org, membership, invoice = member
    client.force_login(user)
    response = client.get(f"/ja/members/invoices/{invoice.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    d = invoice.issue_date
    for item in [
        "適格請求書",
        "国立大学法人 共創大学",  # issuer
        "T4500001234567",  # issuer registration number
        f"{d.year}年{d.month}月{d.day}日",  # date
        "年会費",  # what was supplied
        f"{membership.tier.name_ja}",
        "10%",  # the rate
        f"¥{invoice.subtotal:,}",  # total per rate
        f"¥{invoice.tax_total:,}",  # tax per rate
        f"¥{invoice.total:,}",
        org.legal_name,  # recipient
        invoice.number,
    ]:
        assert item in text, item
    english = _text(client.get(f"/en/members/invoices/{invoice.pk}/pdf/").content)
    for item in ["qualified invoice", "Kyoso University", "T4500001234567", "Annual membership fee", "Consumption tax"]:
        assert item in english, item


def test_receipt_downloads_once_paid(client, member):
    user, org, _m, invoice = member
    payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    client.force_login(user)
    detail = client.get(f"/ja/members/invoices/{invoice.pk}/").content.decode()
    assert "領収書" in detail and "支払済み" in detail
    text = _text(client.get(f"/ja/members/invoices/{invoice.pk}/receipt/").content)
    assert "領収書" in text and f"¥{invoice.total:,}" in text and org.legal_name in text and "T4500001234567" in text
    english = _text(client.get(f"/en/members/invoices/{invoice.pk}/receipt/").content)
    assert "Receipt" in english


def test_credit_balance_is_shown(client, member):
    user, _org, _m, invoice = member
    payment_record(invoice=invoice, amount=invoice.total + 2_500, method=PaymentMethod.BANK_TRANSFER)
    client.force_login(user)
    assert "¥2,500" in client.get("/ja/members/invoices/").content.decode()


def test_credit_note_pdf_is_a_qualified_return_invoice(client, member):
    from billing.services.credit_notes import credit_note_issue

    user, org, _m, invoice = member
    payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    note, _ = credit_note_issue(invoice=invoice, total=5_500, reason="一部返金")
    client.force_login(user)
    detail = client.get(f"/ja/members/invoices/{invoice.pk}/").content.decode()
    url = f"/ja/members/invoices/{invoice.pk}/credit-notes/{note.pk}/"
    assert url in detail
    text = _text(client.get(url).content)
    for item in [
        "適格返還請求書",
        note.number,
        invoice.number,
        "T4500001234567",
        "¥5,500",
        "¥500",
        "10%",
        org.legal_name,
    ]:
        assert item in text, item
    outsider, _ = make_member()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
