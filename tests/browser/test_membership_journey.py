"""The member journey in a real browser: sign up, verify, register, apply, staff approve
in the Wagtail admin, dashboard, invite a colleague who joins."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from tests.accounts.helpers import give_mfa, login_browser
from tests.browser.conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def last_link(to: str) -> str:
    message = [m for m in mail.outbox if to in m.to][-1]
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def submit(page):
    page.locator("main form button[type=submit]").last.click()


def test_join_approve_and_invite(page, browser, live_server, demo_home):
    from billing.models import Invoice
    from billing.services.payments import payment_record
    from demo import membership as demo_membership
    from membership.models import Membership
    from tests.membership.factories import UserFactory

    call_command("createcachetable", verbosity=0)
    demo_membership.TIERS  # noqa: B018
    from membership.models import Tier

    for data in demo_membership.TIERS:
        Tier.objects.get_or_create(name_ja=data["name_ja"], defaults=data)
    mail.outbox.clear()

    # Sign up and verify the e-mail address from the outbox.
    page.goto("/ja/accounts/signup/")
    page.fill("input[name=email]", "yamada@shinki.example.co.jp")
    page.fill("input[name=password1]", "Aoba-Yama-2026")
    page.fill("input[name=password2]", "Aoba-Yama-2026")
    submit(page)
    page.wait_for_load_state()
    page.goto(last_link("yamada@shinki.example.co.jp"))
    submit(page)
    page.wait_for_load_state()

    # Register the organization.
    page.goto("/ja/members/")
    assert axe_serious_violations(page) == []
    page.get_by_role("link", name="法人を登録する").click()
    page.fill("input[name=legal_name]", "新規技研株式会社")
    page.fill("input[name=legal_name_kana]", "シンキギケン")
    page.fill("input[name=name_en]", "Shinki Giken Co., Ltd.")
    page.fill("input[name=corporate_number]", "7000012050003")  # a typo in the check digit
    page.fill("input[name=country]", "JP")
    page.fill("input[name=address]", "宮城県仙台市青葉区")
    page.select_option("select[name=industry]", "E")
    page.select_option("select[name=size_band]", "100-999")
    page.fill("input[name=billing_contact_name]", "経理 三郎")
    page.fill("input[name=billing_contact_email]", "keiri@shinki.example.co.jp")
    submit(page)
    assert "チェックデジットが一致しません" in page.content()
    assert page.input_value("input[name=legal_name]") == "新規技研株式会社"  # nothing typed is lost
    page.fill("input[name=corporate_number]", "7000012050002")
    submit(page)

    # Apply for a tier.
    page.wait_for_url("**/ja/members/apply/")
    assert axe_serious_violations(page) == []
    page.get_by_label(re.compile("特別会員")).check()
    submit(page)
    page.wait_for_url("**/ja/members/")
    assert page.get_by_test_id("status").inner_text() == "申込み済み"

    # A general CM approves in the Wagtail admin, after the conflict-of-interest check.
    staff = UserFactory(email="sokatsu@kyoso.example.jp", is_staff=True)
    from django.contrib.auth.models import Group

    # A transactional test may follow another that flushed the data migrations' groups.
    sokatsu, created = Group.objects.get_or_create(name="統括CM")
    if created:
        from importlib import import_module

        from django.contrib.auth.models import Permission

        codenames = import_module("membership.migrations.0005_staff_groups").GROUPS["統括CM"]
        sokatsu.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
            *Permission.objects.filter(content_type__app_label="membership", codename__in=codenames),
        )
    staff.groups.add(sokatsu)
    give_mfa(staff)
    staff_context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    staff_page = staff_context.new_page()
    login_browser(staff_page, staff, live_server.url)
    staff_page.goto("/admin/membership_application/?status=applied")
    staff_page.get_by_role("link", name="新規技研株式会社").first.click()
    staff_page.check("input[name=coi-result][value=clear]")
    staff_page.fill("textarea[name=coi-note]", "利害関係なし")
    staff_page.locator("form:has(input[name=action][value=coi]) button[type=submit]").click()
    staff_page.wait_for_load_state()
    staff_page.fill("textarea[name=reason]", "審査完了")
    staff_page.locator("button[name=action][value=approve]").click()
    staff_page.wait_for_load_state()
    # Approval asks first: the summary names the invoice to be issued, then its button approves.
    assert "¥" in staff_page.get_by_test_id("approval-summary").inner_text()
    staff_page.locator("form:has(input[name=confirm]) button[name=action][value=approve]").click()
    staff_page.wait_for_load_state()
    # Billing issues the first invoice as soon as the approval commits.
    staff_page.reload()
    assert staff_page.get_by_test_id("membership-status").inner_text() == "請求済み"
    staff_context.close()

    # The member sees the invoice and what comes next.
    page.goto("/ja/members/")
    assert page.get_by_test_id("status").inner_text() == "請求済み"
    assert "年度" in page.content()
    membership = Membership.objects.get(organization__legal_name="新規技研株式会社")
    invoice = Invoice.objects.get(organization=membership.organization)
    assert invoice.status == "open" and invoice.subtotal == membership.fee

    # The transfer arrives and staff record it: the membership becomes active.
    payment_record(invoice=invoice, amount=invoice.total, method="bank_transfer", payer_name="シンキギケン(カ")
    page.reload()
    assert page.get_by_test_id("status").inner_text() == "有効"
    page.goto("/en/members/")
    assert page.get_by_test_id("status").inner_text() == "Active"
    assert "FY" in page.content()

    # Invite a colleague, who joins with a new account.
    page.goto("/ja/members/team/")
    page.fill("input[name=email]", "suzuki@shinki.example.co.jp")
    submit(page)
    assert "suzuki@shinki.example.co.jp に招待を送りました" in page.content()
    colleague_context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    colleague = colleague_context.new_page()
    colleague.goto(last_link("suzuki@shinki.example.co.jp"))
    assert "新規技研株式会社" in colleague.content()
    colleague.fill("input[name=last_name]", "鈴木")
    colleague.fill("input[name=first_name]", "一郎")
    colleague.fill("input[name=password1]", "Katahira-2026")
    colleague.fill("input[name=password2]", "Katahira-2026")
    colleague.locator("main form button[type=submit]").click()
    colleague.wait_for_url("**/ja/members/")
    assert "新規技研株式会社へようこそ" in colleague.content()
    assert colleague.get_by_test_id("status").inner_text() == "有効"
    assert axe_serious_violations(colleague) == []
    colleague_context.close()

    page.goto("/ja/members/team/")
    assert "suzuki@shinki.example.co.jp" in page.locator("table").inner_text()
    assert page.console_errors == []
