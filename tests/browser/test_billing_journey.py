"""An approved applicant pays: the member sees the invoice, staff record the bank transfer
in the Wagtail admin, the membership becomes active and the receipt downloads."""

import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from pypdf import PdfReader

from membership.models import MembershipStatus
from tests.billing.conftest import PASSWORD, approve, make_issuer, make_member
from tests.browser.conftest import axe_serious_violations
from tests.membership.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email: str, next_url: str) -> None:
    page.goto(f"/ja/accounts/login/?next={next_url}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_approved_applicant_pays_by_recorded_transfer_and_downloads_the_receipt(browser, live_server, page):
    import time

    make_issuer()
    owner, org = make_member()
    membership, invoice = approve(org, owner)
    staff = UserFactory(email="finance-cm@kyoso.example.jp", password=PASSWORD, is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    # The member sees the open invoice and how to pay.
    _log_in(page, owner.email, "/ja/members/invoices/")
    page.wait_for_url("**/ja/members/invoices/")
    row = page.get_by_role("row").filter(has_text=invoice.number)
    assert "未払い" in row.inner_text()
    row.get_by_role("link", name=invoice.number).click()
    page.wait_for_url(f"**/ja/members/invoices/{invoice.pk}/")
    assert page.get_by_role("heading", name="お支払い方法").is_visible()
    assert "共創銀行" in page.locator(".billing-how-to-pay").inner_text()
    assert axe_serious_violations(page) == []

    # Staff (with MFA) record the transfer in the admin.
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    admin = context.new_page()
    _log_in(admin, staff.email, "/admin/billing/invoices/")
    admin.locator("input[name=code]").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    admin.locator("input[name=code]").press("Enter")
    admin.wait_for_url("**/admin/billing/invoices/")
    record_url = f"/admin/billing/invoices/record-transfer/{invoice.pk}/"
    admin.get_by_role("row").filter(has_text=invoice.number).get_by_role("button").last.click()
    admin.get_by_role("link", name="銀行振込を記録").click()
    admin.wait_for_url(f"**{record_url}")
    assert admin.locator("input[name=amount]").input_value() == str(invoice.total)
    admin.locator("input[name=payer_name]").fill("カクウコウギョウ(カ")
    admin.get_by_role("button", name="続ける").click()  # "Continue" (Wagtail's catalogue words it so)
    # The confirmation says what will happen; nothing is recorded before it is confirmed.
    assert "全額支払済み" in admin.locator("main").inner_text()
    assert not invoice.payments.exists()
    admin.get_by_role("button", name="入金を記録").click()
    admin.wait_for_url("**/admin/billing/invoices/")
    assert "支払済み" in admin.locator("body").inner_text()
    context.close()

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE

    # The member sees it paid and downloads the receipt.
    page.reload()
    assert "支払済み" in page.locator(".billing-status").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="領収書をダウンロード（PDF）").click()
    pdf = download_info.value.path().read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "領収書" in text and f"¥{invoice.total:,}" in text and org.legal_name in text
    assert page.console_errors == []
