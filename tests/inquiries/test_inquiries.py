"""The seed inquiry form: stored with consent, confirmed, notified, announced; bad input and spam."""

import re

import pytest
from django.core import mail
from inquiries.models import Inquiry, InquiryStatus, InquiryStatusChange
from inquiries.services import InquiryTransitionError, inquiry_set_status
from inquiries.signals import inquiry_received

pytestmark = pytest.mark.django_db

URL = "/ja/seeds/ceramics/"
EN_URL = "/en/seeds/ceramics/"

GOOD = {
    "inquiry_form": "seed-inquiry",
    "company": "共創化学株式会社",
    "name": "山田 花子",
    "email": "hanako@example.co.jp",
    "phone": "03-1234-5678",
    "message": "共同研究の進め方について伺いたく、ご連絡しました。",
    "consent": "on",
    "website": "",
}


def send(client, capture, url=URL, **changes):
    data = {**GOOD, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    with capture(execute=True):
        return client.post(url, data, follow=True)


def test_seed_page_shows_the_form_with_a_link_to_the_privacy_policy_of_its_language(client, seed_site):
    html = client.get(URL).text
    assert 'name="inquiry_form" value="seed-inquiry"' in html
    for field in ("company", "name", "email", "phone", "message", "consent"):
        assert f'name="{field}"' in html
    assert '<a href="/ja/privacy/">プライバシーポリシー</a>' in html
    english = client.get(EN_URL).text
    assert '<a href="/en/privacy/">privacy policy</a>' in english
    assert "Send inquiry" in english


def test_an_inquiry_is_stored_confirmed_notified_and_announced(client, seed_site, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, inquiry, **kwargs):
        heard.append(inquiry.pk)

    inquiry_received.connect(listener)
    try:
        response = send(client, django_capture_on_commit_callbacks)
    finally:
        inquiry_received.disconnect(listener)

    # To the thank-you message, not back to the emptied form.
    assert response.redirect_chain[-1][0] == URL + "#messages"
    assert re.search(
        r'<div role="status" id="messages">\s*<ul class="messages">\s*<li[^>]*>お問い合わせありがとうございます',
        response.text,
    )
    assert "お問い合わせありがとうございます。確認メールをお送りしました。" in response.text
    inquiry = Inquiry.objects.get()
    assert heard == [inquiry.pk]
    assert inquiry.seed.pk == seed_site["seed"].pk
    assert inquiry.seed_title == "高耐熱セラミックス材料"
    assert inquiry.language_code == "ja"
    assert (inquiry.company, inquiry.name, inquiry.email, inquiry.phone) == (
        "共創化学株式会社",
        "山田 花子",
        "hanako@example.co.jp",
        "03-1234-5678",
    )
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.consent_given_at is not None
    assert inquiry.privacy_page.pk == seed_site["privacy"].pk
    seed_site["privacy"].refresh_from_db()
    assert inquiry.privacy_revision == seed_site["privacy"].live_revision
    assert inquiry.source == "seed_page"

    confirmation, notification = sorted(mail.outbox, key=lambda m: m.to != ["hanako@example.co.jp"])
    assert confirmation.to == ["hanako@example.co.jp"]
    assert "お問い合わせを受け付けました" in confirmation.subject
    assert "山田 花子 様" in confirmation.body
    assert "共同研究の進め方" in confirmation.body
    assert notification.to == ["sato.cm@kyoso.example.jp"]
    assert notification.reply_to == ["hanako@example.co.jp"]
    assert "共創化学株式会社" in notification.subject
    assert f"/admin/inquiries/edit/{inquiry.pk}/" in notification.body


def test_an_inquiry_from_the_english_page_is_confirmed_in_english(
    client, seed_site, django_capture_on_commit_callbacks
):
    response = send(client, django_capture_on_commit_callbacks, url=EN_URL, name="Jane Doe", email="jane@example.com")
    assert "Thank you for your inquiry" in response.text
    inquiry = Inquiry.objects.get()
    assert inquiry.language_code == "en"
    assert inquiry.privacy_page.pk == seed_site["privacy_en"].pk
    confirmation = next(m for m in mail.outbox if m.to == ["jane@example.com"])
    assert confirmation.subject == "We have received your inquiry: Heat-resistant ceramics"
    assert "Dear Jane Doe," in confirmation.body
    # The CM reads Japanese.
    notification = next(m for m in mail.outbox if m.to == ["sato.cm@kyoso.example.jp"])
    assert "新しいお問い合わせ" in notification.body


def test_the_message_field_states_its_limit_and_counts_as_you_type(client, seed_site):
    html = client.get(URL).text
    area = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'maxlength="4000"' in area
    assert 'aria-describedby="id_message_helptext"' in area
    assert 'data-count-template="%(count)s / %(max)s文字"' in area
    assert '<p class="help small" id="id_message_helptext">4,000文字以内でお書きください。</p>' in html
    assert "inquiries/char-count.js" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "hanako@"}, "有効なメールアドレスを入力してください。"),
        ({"consent": None}, "お問い合わせを送信するには、プライバシーポリシーへの同意が必要です。"),
        ({"company": "社" * 201}, "この値は 200 文字以下でなければなりません( 201 文字になっています)。"),
        (
            {"message": "あ" * 4001},
            "お問い合わせ内容が4001文字あります。4,000文字以内に短くしてください。まだ送信されていません。",
        ),
        ({"phone": "call me maybe"}, "電話番号は数字・空白・ハイフン・＋・括弧のみで入力してください。"),
        ({"message": ""}, "この項目は必須です"),
    ],
)
def test_bad_input_is_explained_in_japanese_and_nothing_is_lost_or_stored(client, seed_site, changes, message):
    response = client.post(URL, {k: v for k, v in {**GOOD, **changes}.items() if v is not None})
    assert response.status_code == 200
    html = response.text
    assert message in html
    assert "入力内容をご確認ください。" in html
    for field in ("company", "name", "email", "phone"):
        if field not in changes:
            assert f'value="{GOOD[field]}"' in html
    if "message" not in changes:
        assert GOOD["message"] in html
    assert Inquiry.objects.count() == 0
    assert mail.outbox == []


def test_bad_input_on_the_english_page_is_explained_in_english(client, seed_site):
    response = client.post(EN_URL, {**GOOD, "email": "jane@", "consent": ""})
    assert "Enter a valid email address." in response.text
    assert "Please agree to the privacy policy to send your inquiry." in response.text


def test_html_and_script_are_stored_as_given_and_always_shown_escaped(
    client, seed_site, django_capture_on_commit_callbacks, admin_client
):
    evil = '<script>alert("x")</script><b>bold</b>'
    send(client, django_capture_on_commit_callbacks, company=evil, message=evil, name=evil)
    inquiry = Inquiry.objects.get()
    assert inquiry.message == evil and inquiry.company == evil
    for message in mail.outbox:  # plain text: the markup is inert text
        assert not getattr(message, "alternatives", None)
        assert evil in message.body

    for url in (
        "/admin/inquiries/",
        f"/admin/inquiries/edit/{inquiry.pk}/",
        f"/admin/inquiries/inspect/{inquiry.pk}/",
    ):
        html = admin_client.get(url).text
        assert '<script>alert("x")</script>' not in html, url
        assert "&lt;script&gt;" in html, url

    # A rejected form shows what was typed, escaped.
    response = client.post(URL, {**GOOD, "message": evil, "email": "bad"})
    assert '<script>alert("x")</script>' not in response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text


def test_honeypot_pretends_success_but_stores_and_sends_nothing(client, seed_site, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, website="http://cheap-pills.example")
    assert response.redirect_chain
    assert "お問い合わせありがとうございます" in response.text
    assert Inquiry.objects.count() == 0
    assert mail.outbox == []


def test_repeated_submissions_are_rate_limited_with_a_clear_message(
    client, seed_site, settings, django_capture_on_commit_callbacks
):
    settings.INQUIRIES_RATE_LIMIT = (2, 600)
    send(client, django_capture_on_commit_callbacks)
    send(client, django_capture_on_commit_callbacks, message="二通目")
    response = client.post(URL, {**GOOD, "message": "三通目の問い合わせ"})
    assert "短時間に複数のお問い合わせが送信されました" in response.text
    assert "三通目の問い合わせ" in response.text  # kept for when they retry
    assert Inquiry.objects.count() == 2
    # Another address is not affected.
    other = client.post(URL, {**GOOD, "message": "別の会社"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert Inquiry.objects.count() == 3


@pytest.mark.parametrize("proxies", [0, 1])
def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit_and_without_one_the_header_is_ignored(
    client, seed_site, settings, django_capture_on_commit_callbacks, proxies
):
    """One load balancer (REMOTE_ADDR 10.0.0.1) forwards two companies. With
    TRUSTED_PROXY_COUNT=1 each has its own bucket; with 0 X-Forwarded-For is whatever the
    client says, so it is ignored and a client cannot buy more attempts by changing it."""
    settings.INQUIRIES_RATE_LIMIT = (1, 600)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    behind = {"REMOTE_ADDR": "10.0.0.1"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, {**GOOD, "message": "一社目"}, HTTP_X_FORWARDED_FOR="203.0.113.7", **behind)
    assert first.status_code == 302
    other = client.post(URL, {**GOOD, "message": "二社目"}, HTTP_X_FORWARDED_FOR="198.51.100.9", **behind)
    assert Inquiry.objects.count() == (2 if proxies else 1)
    assert ("短時間に複数のお問い合わせが送信されました" in other.text) is (not proxies)
    again = client.post(URL, {**GOOD, "message": "一社目の二通目"}, HTTP_X_FORWARDED_FOR="203.0.113.7", **behind)
    assert "短時間に複数のお問い合わせが送信されました" in again.text
    assert Inquiry.objects.count() == (2 if proxies else 1)


def test_a_plain_post_to_a_seed_page_without_the_form_marker_is_not_an_inquiry(client, seed_site):
    data = {k: v for k, v in GOOD.items() if k != "inquiry_form"}
    client.post(URL, data)
    assert Inquiry.objects.count() == 0


def test_status_changes_are_recorded_with_who_and_why(
    seed_site, django_capture_on_commit_callbacks, client, admin_user
):
    send(client, django_capture_on_commit_callbacks)
    inquiry = Inquiry.objects.get()
    inquiry = inquiry_set_status(inquiry=inquiry, status=InquiryStatus.ANSWERED, by=admin_user, note="電話で回答")
    assert inquiry.status == InquiryStatus.ANSWERED
    assert inquiry.handled_by == admin_user
    change = InquiryStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "new",
        "answered",
        admin_user,
        "電話で回答",
    )
    inquiry_set_status(inquiry=inquiry, status=InquiryStatus.CLOSED, by=admin_user)
    with pytest.raises(InquiryTransitionError):
        inquiry_set_status(inquiry=inquiry, status=InquiryStatus.ANSWERED, by=admin_user)
    assert Inquiry.objects.get().status == InquiryStatus.CLOSED


def test_a_seed_not_yet_translated_takes_inquiries_in_english(client, seed_site, django_capture_on_commit_callbacks):
    from seeds.models import SeedPage

    untranslated = seed_site["index"].add_child(
        instance=SeedPage(title="未翻訳のシーズ", slug="only-ja", summary="日本語のみ", contact_cm=seed_site["cm"])
    )
    untranslated.save_revision().publish()
    page = client.get("/en/seeds/only-ja/")
    assert page.status_code == 200  # the Japanese page stands in
    assert "Send inquiry" in page.text

    response = send(client, django_capture_on_commit_callbacks, url="/en/seeds/only-ja/", email="jane@example.com")
    assert response.redirect_chain[-1][0] == "/en/seeds/only-ja/#messages"
    inquiry = Inquiry.objects.get()
    assert inquiry.language_code == "en"
    assert inquiry.seed.pk == untranslated.pk
    confirmation = next(m for m in mail.outbox if m.to == ["jane@example.com"])
    assert confirmation.subject == "We have received your inquiry: 未翻訳のシーズ"


def test_a_phone_number_typed_in_full_width_is_stored_in_ascii(client, seed_site, django_capture_on_commit_callbacks):
    send(client, django_capture_on_commit_callbacks, phone="（０３）１２３４－５６７８")
    assert Inquiry.objects.get().phone == "(03)1234-5678"
