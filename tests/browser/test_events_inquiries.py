"""In a real browser: a company finds a seed, asks about it, and staff see the
inquiry in the admin inbox; event pages are accessible in both languages."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import translation

from tests.accounts.helpers import give_mfa, totp_code
from tests.browser.conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JST = ZoneInfo("Asia/Tokyo")
STAFF_EMAIL = "cm.staff@kyoso.example.jp"
STAFF_PASSWORD = "correct-horse-battery-9"


def make_staff():
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email=STAFF_EMAIL, password=STAFF_PASSWORD, is_staff=True, is_superuser=True
    )
    EmailAddress.objects.create(user=user, email=STAFF_EMAIL, verified=True, primary=True)
    return user, give_mfa(user)


def test_company_sends_an_inquiry_and_staff_find_it_in_the_inbox(page, settings):
    from inquiries.models import Inquiry, InquiryStatus

    from tests.site.public_site import build_site

    cache.clear()
    build_site(seeds=4)
    _, totp_secret = make_staff()

    page.goto("/ja/")
    page.locator(".main-nav").get_by_role("link", name="研究シーズ").click()
    page.wait_for_url("**/ja/seeds/")

    page.locator("select[name=field]").select_option("materials")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/ja/seeds/?*field=materials*")
    results = page.locator(".results").inner_text()
    assert "新材料開発シーズ000" in results
    assert "細胞診断シーズ001" not in results

    page.get_by_role("link", name="新材料開発シーズ000").first.click()
    page.wait_for_url("**/ja/seeds/seed-000/")
    form = page.locator("#inquiry form")
    form.get_by_label("会社名・団体名").fill("株式会社ブラウザ試験")
    form.get_by_label("氏名").fill("試験 太郎")
    form.get_by_label("メールアドレス").fill("taro@browser-test.example.com")
    form.get_by_label("電話番号").fill("03-1111-2222")
    # A paste that the browser cuts at the limit (maxlength) is reported, not cut silently.
    form.get_by_label("お問い合わせ内容").fill("あ" * 3990)
    page.locator("#id_message").evaluate(
        """area => { const data = new DataTransfer(); data.setData("text/plain", "い".repeat(50));
        area.setSelectionRange(area.value.length, area.value.length);
        area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true})); }"""
    )
    page.wait_for_function("document.querySelector('#id_message_count').textContent.includes('40文字')")
    assert "末尾の40文字が入っていません" in page.locator("#id_message_count").inner_text()
    form.get_by_label("お問い合わせ内容").fill("<b>共同研究</b>の可能性について伺いたいです。")
    # The count under the field follows what is typed (inquiries/char-count.js).
    assert page.locator("#id_message_count").inner_text() == "26 / 4,000文字"
    # Submitting without consent keeps everything typed and says why.
    form.get_by_role("button", name="送信する").click()
    page.wait_for_load_state()
    assert "プライバシーポリシーへの同意が必要です" in page.locator("#inquiry").inner_text()
    assert (
        page.locator("#inquiry textarea[name=message]").input_value() == "<b>共同研究</b>の可能性について伺いたいです。"
    )
    assert Inquiry.objects.count() == 0

    page.locator("#inquiry input[name=consent]").check()
    page.locator("#inquiry").get_by_role("button", name="送信する").click()
    page.wait_for_url("**/ja/seeds/seed-000/#messages")
    assert "お問い合わせありがとうございます" in page.locator(".messages").inner_text()
    # The page shows the thank-you message, not the emptied form far below it.
    box = page.locator(".messages").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]
    inquiry = Inquiry.objects.get()
    assert inquiry.company == "株式会社ブラウザ試験"
    assert sorted(m.to[0] for m in mail.outbox) == ["hoshi-akira@example.jp", "taro@browser-test.example.com"]

    assert page.console_errors == []

    # Staff sign in through allauth's login page and open the inbox. The
    # admin must not reach out to the internet (avatars, update checks).
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False
    page.goto("/ja/accounts/login/")
    page.locator("input[name=login]").fill(STAFF_EMAIL)
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    # Staff accounts have two-factor authentication: the second step asks for the code.
    page.locator("input[name=code]").fill(totp_code(totp_secret))
    page.locator("form:has(input[name=code]) button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto("/admin/inquiries/")
    # The inquiry's row: its seed and its status, "New" in the admin's language (the
    # status filter beside the listing names every status, so the whole page would not do).
    row = page.locator("main tbody tr", has_text="株式会社ブラウザ試験")
    assert row.count() == 1
    with translation.override(page.locator("html").get_attribute("lang")):
        new = str(InquiryStatus.NEW.label)
    assert "新材料開発シーズ000" in row.inner_text()
    assert new in row.inner_text()

    page.get_by_role("link", name="株式会社ブラウザ試験").click()
    page.wait_for_load_state()
    assert "<b>共同研究</b>の可能性" in page.locator("main").inner_text()  # shown as text, not markup
    assert page.console_errors == []


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/ja/events/matching-day/", "ライフサイエンス マッチングデー"),
        ("/en/events/matching-day/", "Life science matching day"),
    ],
)
def test_event_page_is_accessible_in_both_languages(page, url, title):
    from events.models import EventIndexPage, EventPage

    from demo.home import ensure_home
    from tests.events.conftest import translate

    cache.clear()
    home = ensure_home()
    index = home.add_child(instance=EventIndexPage(title="イベント・セミナー", slug="events", show_in_menus=True))
    index.save_revision().publish()
    translate(index, "en", title="Events and seminars")
    start = datetime(2099, 6, 5, 13, 0, tzinfo=JST)
    event = index.add_child(
        instance=EventPage(
            title="ライフサイエンス マッチングデー",
            slug="matching-day",
            start=start,
            end=start.replace(hour=15),
            venue="共創大学 青葉キャンパス",
            online_url="https://meet.example.jp/kyoso",
            capacity=50,
            summary="研究者による技術シーズ紹介",
            body="<p>詳細はこちら</p>",
        )
    )
    event.save_revision().publish()
    translate(event, "en", title="Life science matching day", venue="Aoba Campus", summary="Seeds presented")

    page.goto(url)
    assert page.locator("h1").inner_text() == title
    assert axe_serious_violations(page) == []
    # Registration without JavaScript-side checks: the server explains the error.
    page.locator("input[name=name]").fill("Test")
    page.locator("input[name=email]").fill("not-an-address")
    page.locator("form.site-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors").is_visible()
    assert axe_serious_violations(page) == []
    assert page.console_errors == []
