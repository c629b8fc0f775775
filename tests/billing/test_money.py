"""What an invoice says about money: the period a prorated first term covers, part payments,
amounts as people read them (issue 13, Money)."""

import datetime as dt
import io

import pytest
from django.test import TestCase
from pypdf import PdfReader

from billing import documents
from billing.models import Invoice, PaymentMethod
from billing.services.payments import payment_record
from membership import services as ms
from tests.billing.conftest import make_member
from tests.membership.factories import TierFactory, record_clear_checks

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    """The PDF's text with the line breaks of its layout taken out."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def approve_on(day: dt.date, *, annual_fee: int = 300_000):
    user, org = make_member()
    membership = ms.membership_apply(organization=org, tier=TierFactory(annual_fee=annual_fee), by=user)
    ms.membership_start_screening(membership=membership, by=None)
    record_clear_checks(membership)
    with TestCase.captureOnCommitCallbacks(execute=True):
        ms.membership_approve(membership=membership, by=None, today=day)
    membership.refresh_from_db()
    return user, membership, Invoice.objects.get(object_id=membership.pk)


def test_a_prorated_first_term_invoice_states_the_months_charged_not_the_fiscal_year(issuer):
    user, membership, invoice = approve_on(dt.date(2026, 12, 4))
    assert invoice.subtotal == 100_000  # 4/12 of ¥300,000
    assert (membership.term_start, membership.term_end) == (dt.date(2026, 12, 1), dt.date(2027, 3, 31))
    assert (invoice.period_start, invoice.period_end) == (dt.date(2026, 12, 1), dt.date(2027, 3, 31))
    line = invoice.lines.get()
    assert "2026/12/01〜2027/03/31（4か月分）" in line.description_ja
    assert "2026-12-01 to 2027-03-31 (4 months)" in line.description_en

    japanese = _text(documents.invoice_pdf(invoice=invoice, language="ja"))
    assert "対象期間2026年12月1日〜2027年3月31日" in japanese.replace(" ", "") and "4か月分" in japanese
    assert "2026/04/01" not in japanese and "2026年4月1日" not in japanese
    english = _text(documents.invoice_pdf(invoice=invoice, language="en"))
    assert "1 December 2026〜31 March 2027" in english and "4 months" in english

    payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    invoice.refresh_from_db()
    receipt = _text(documents.receipt_pdf(invoice=invoice, language="ja"))
    assert "2026年12月1日〜2027年3月31日" in receipt and "2026年4月1日" not in receipt


def test_a_member_joining_in_april_is_charged_the_whole_year(issuer):
    _user, membership, invoice = approve_on(dt.date(2026, 4, 10))
    assert invoice.subtotal == 300_000
    assert (invoice.period_start, invoice.period_end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert "か月分" not in invoice.lines.get().description_ja


def _cells(html: str) -> str:
    """The page's text without tags and runs of white space, to find a row's cells in order."""
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_part_payment_shows_partly_paid_with_paid_and_remaining_to_member_and_staff(client, admin_user, issuer):
    user, _m, invoice = approve_on(dt.date(2026, 12, 4))  # ¥100,000 + tax = ¥110,000
    payment_record(invoice=invoice, amount=50_000, method=PaymentMethod.BANK_TRANSFER, provider_reference="bank:P1")
    client.force_login(user)
    listing = _cells(client.get("/ja/members/invoices/").content.decode())
    assert "¥110,000 ¥50,000 ¥60,000 一部入金" in listing and " 未払い " not in listing
    detail = _cells(client.get(f"/ja/members/invoices/{invoice.pk}/").content.decode())
    assert "状態: 一部入金 · 入金額: ¥50,000 · 未払い残高: ¥60,000" in detail
    english = _cells(client.get(f"/en/members/invoices/{invoice.pk}/").content.decode())
    assert "Status: Partly paid" in english

    client.force_login(admin_user)
    staff_list = _cells(client.get("/admin/billing/invoices/", HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "¥50,000 ¥60,000 一部入金" in staff_list
    staff_detail = _cells(
        client.get(f"/admin/billing/invoices/inspect/{invoice.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    )
    assert "一部入金（入金 ¥50,000、残額 ¥60,000）" in staff_detail

    payment_record(invoice=invoice, amount=60_000, method=PaymentMethod.BANK_TRANSFER, provider_reference="bank:P2")
    client.force_login(user)
    assert "一部入金" not in client.get("/ja/members/invoices/").content.decode()


def test_admin_lists_show_amounts_as_yen_and_exports_say_the_unit(client, admin_user, issuer):
    from billing.services.credit_notes import credit_note_issue

    _user, membership, invoice = approve_on(dt.date(2026, 12, 4))  # ¥110,000
    payment_record(invoice=invoice, amount=112_500, method=PaymentMethod.BANK_TRANSFER, provider_reference="bank:O1")
    invoice.refresh_from_db()
    credit_note_issue(invoice=invoice, total=11_000, reason="一部返金")
    client.force_login(admin_user)
    for url, shown in [
        ("/admin/billing/invoices/", "¥110,000"),
        ("/admin/billing/payments/", "¥112,500"),
        ("/admin/billing/credit-notes/", "¥11,000"),
        ("/admin/billing/credit/", "¥2,500"),
        ("/admin/membership_application/", "¥100,000"),
        ("/admin/membership_tier/", "¥300,000"),
    ]:
        page = _cells(client.get(url).content.decode())
        assert shown in page, url
        assert f" {shown[1:].replace(',', '')} " not in page, url  # no bare 110000
    response = client.get("/admin/billing/invoices/?export=csv")
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert "合計（税込・円）" in header and "小計（税抜・円）" in header


def test_the_admin_invoice_page_shows_lines_totals_payments_history_and_actions_in_jst(client, admin_user, issuer):
    from django.utils import timezone

    _user, _m, invoice = approve_on(dt.date(2026, 12, 4))
    received = dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.UTC)  # 5 December, 05:00 in Tokyo
    payment_record(
        invoice=invoice,
        amount=50_000,
        method=PaymentMethod.BANK_TRANSFER,
        provider_reference="bank:J1",
        received_at=received,
        payer_name="カクウコウギョウ",
    )
    client.force_login(admin_user)
    response = client.get(f"/admin/billing/invoices/inspect/{invoice.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    html = response.content.decode()
    page = _cells(html[html.index("<main") : html.index("</main>")])
    for raw in ("Content type", "Object id", "[{", "None", "UTC", "+00:00", "rate_id"):
        assert raw not in page, raw
    assert "2026/12/01〜2027/03/31（4か月分）" in page  # the line
    assert "10% ¥100,000 ¥10,000 ¥110,000" in page  # the totals per rate
    assert "2026/12/05 05:00 JST ¥50,000 銀行振込 カクウコウギョウ bank:J1" in page  # the payment, in JST
    for t in invoice.transitions.all():  # the history, in JST
        assert f"{timezone.localtime(t.at):%Y/%m/%d %H:%M} JST" in page
    assert f'href="/admin/billing/invoices/record-transfer/{invoice.pk}/"' in html
    assert f'href="/admin/billing/invoices/void/{invoice.pk}/"' in html
    assert "credit-note/" not in html  # only a paid invoice is credited


def test_the_english_invoice_names_the_department_in_english_and_each_sentence_once(issuer):
    """With the demo's issuer, as the invoice was seen: one bank-charges sentence per language."""
    from demo.billing import ISSUER

    for field, value in ISSUER.items():
        setattr(issuer, field, value)
    issuer.save()
    _user, _m, invoice = approve_on(dt.date(2026, 12, 4))
    english = _text(documents.invoice_pdf(invoice=invoice, language="en"))
    assert "Open Innovation Organization, Finance Office" in english and "財務担当" not in english
    assert english.count("Bank charges are borne by the payer") == 1
    japanese = _text(documents.invoice_pdf(invoice=invoice, language="ja"))
    assert "オープンイノベーション機構 財務担当" in japanese
    assert japanese.count("振込手数料") == 1


def test_approving_shows_the_invoice_it_will_issue_and_asks_first(client, issuer):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from membership.fiscal import months_remaining
    from tests.accounts.helpers import give_mfa
    from tests.membership.factories import UserFactory

    staff = UserFactory(email="sokatsu@kyoso.example.jp", is_staff=True)
    staff.groups.add(Group.objects.get(name="統括CM"))
    give_mfa(staff)
    user, org = make_member()
    membership = ms.membership_apply(organization=org, tier=TierFactory(annual_fee=300_000), by=user)
    ms.membership_start_screening(membership=membership, by=None)
    record_clear_checks(membership)
    fee = 300_000 * months_remaining(timezone.localdate()) // 12  # today's proration, as approval will charge
    client.force_login(staff)
    url = f"/admin/membership_application/inspect/{membership.pk}/"

    summary = client.post(url, {"action": "approve", "reason": "確認済み"})
    assert summary.status_code == 200
    membership.refresh_from_db()
    assert membership.status == "screening" and not Invoice.objects.exists()  # nothing happened yet
    page = _cells(summary.content.decode())
    assert membership.tier.name_ja in page
    assert "発行される請求書 年会費" in page
    assert f"会費（税抜） ¥{fee:,}" in page
    assert f"消費税（10%） ¥{fee // 10:,}" in page
    assert f"合計（税込） ¥{fee + fee // 10:,}" in page
    assert 'name="confirm"' in summary.content.decode()

    client.post(url, {"action": "approve", "reason": "確認済み", "confirm": "1"})
    membership.refresh_from_db()
    assert membership.status == "invoiced" and Invoice.objects.get().total == fee + fee // 10
