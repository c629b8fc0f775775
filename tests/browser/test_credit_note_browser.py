"""A 財務CM (with MFA, not a superuser) issues a credit note in the Wagtail admin through the
browser: the form, the confirmation, the issued note and its PDF."""

import importlib
import io
import time
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group, Permission
from pypdf import PdfReader

from billing.models import CreditNote, PaymentMethod, TaxRate
from billing.services import invoices, payments, tax_rates
from tests.billing.conftest import PASSWORD, make_issuer, make_member
from tests.membership.factories import UserFactory

FINANCE_PERMISSIONS = importlib.import_module("billing.migrations.0004_finance_group").FINANCE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_cm_issues_a_credit_note_and_downloads_its_pdf(page):
    # A transactional test may follow another that flushed the data migrations' rates and groups.
    tax_rates.default_tax_rate()
    finance, _created = Group.objects.get_or_create(name="財務CM")
    finance.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="billing", codename__in=FINANCE_PERMISSIONS),
    )
    make_issuer()
    _owner, org = make_member()
    reduced = TaxRate.objects.get(percent=Decimal("8.00"))
    invoice = invoices.invoice_create_and_issue(
        organization=org,
        lines=[
            invoices.LineSpec(description_ja="年会費", description_en="Annual fee", unit_price=100_000),
            invoices.LineSpec(description_ja="会報誌", description_en="Magazine", unit_price=20_000, tax_rate=reduced),
        ],
    )
    payments.payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    staff = UserFactory(email="zaimu@kyoso.example.jp", password=PASSWORD, is_staff=True)
    staff.groups.add(Group.objects.get(name="財務CM"))
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    page.goto("/ja/accounts/login/?next=/admin/billing/invoices/")
    page.locator("input[name=login]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url("**/admin/billing/invoices/")

    page.get_by_role("row").filter(has_text=invoice.number).get_by_role("button").last.click()
    page.get_by_role("link", name="返還請求書を発行").click()
    page.wait_for_url(f"**/admin/billing/invoices/credit-note/{invoice.pk}/")
    page.get_by_label("10% 対象の返還額（円、税抜）").fill("10000")
    page.get_by_label("8% 対象の返還額（円、税抜）").fill("5000")
    page.get_by_label("理由（返還請求書に記載されます）").fill("会報誌の一部未発送")
    page.get_by_label("前受金（クレジット残高）として保持").check()
    # "Continue": Wagtail's Japanese catalogue (LOCALE_PATHS) words it 続ける.
    page.get_by_role("button", name="続ける").click()

    # The confirmation says what will be issued; nothing is yet.
    table = page.locator("table.listing").inner_text()
    assert "¥10,000" in table and "¥1,000" in table and "¥5,000" in table and "¥400" in table and "¥16,400" in table
    assert "前受金（クレジット残高）として保持" in page.locator("body").inner_text()
    assert not CreditNote.objects.exists()
    page.get_by_role("button", name="返還請求書を発行する").click()
    page.wait_for_url("**/admin/billing/credit-notes/")
    note = CreditNote.objects.get()
    assert f"返還請求書 {note.number} を発行しました" in page.locator("body").inner_text()

    page.get_by_role("row").filter(has_text=note.number).get_by_role("button").last.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF（日本語）").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(download_info.value.path().read_bytes())).pages)
    for item in ["適格返還請求書", note.number, invoice.number, "T4500001234567", "¥1,000", "¥400", "8%"]:
        assert item in text, item
    # The admin's avatars come from gravatar.com, which the test machine cannot reach.
    assert [e for e in page.console_errors if "ERR_NAME_NOT_RESOLVED" not in e] == []
