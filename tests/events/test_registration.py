"""Registering for an event: confirmation e-mail, capacity, bad input, spam, rate limit."""

import re

import icalendar
import pytest
from django.core import mail
from events.models import EventRegistration
from events.services import EventFull, registration_create

pytestmark = pytest.mark.django_db

URL = "/ja/events/matching-day/"
EN_URL = "/en/events/matching-day/"


def post(client, capture, url=URL, **data):
    payload = {
        "name": "山田 花子",
        "email": "hanako@example.co.jp",
        "company": "共創化学株式会社",
        "consent": "on",
        "website": "",
    }
    payload.update(data)
    with capture(execute=True):
        return client.post(url, payload, follow=True)


def test_registration_is_stored_and_confirmed_in_japanese(client, upcoming_event, django_capture_on_commit_callbacks):
    response = post(client, django_capture_on_commit_callbacks)
    # To the thank-you message, not back to the emptied form.
    assert response.redirect_chain[-1][0] == URL + "#messages"
    assert re.search(
        r'<div role="status" id="messages">\s*<ul class="messages">\s*<li[^>]*>ご登録ありがとうございます',
        response.text,
    )
    registration = EventRegistration.objects.get()
    assert (registration.name, registration.email, registration.company) == (
        "山田 花子",
        "hanako@example.co.jp",
        "共創化学株式会社",
    )
    assert registration.event.pk == upcoming_event["ja"].pk
    assert registration.language_code == "ja"
    assert registration.consent_given_at is not None
    assert "残り1席" in response.text

    (message,) = mail.outbox
    assert message.to == ["hanako@example.co.jp"]
    assert "参加登録" in message.subject and "ライフサイエンス マッチングデー" in message.subject
    assert "山田 花子 様" in message.body
    assert "2099年6月5日（金）13:00〜15:00（日本時間）" in message.body
    (attachment,) = message.attachments
    assert attachment[0] == "matching-day.ics"
    (vevent,) = icalendar.Calendar.from_ical(attachment[1]).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "ライフサイエンス マッチングデー"


def test_registration_on_the_english_page_is_confirmed_in_english(
    client, upcoming_event, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, url=EN_URL, name="Jane Doe", email="jane@example.com")
    assert "Thank you. Your registration is confirmed" in response.text
    (message,) = mail.outbox
    assert message.subject == "[Kyoso] Registration confirmed: Life science matching day".removeprefix("[Kyoso] ")
    assert "Dear Jane Doe," in message.body
    assert "Fri 5 June 2099, 13:00–15:00 JST" in message.body
    assert "様" not in message.body


def test_full_event_refuses_with_a_clear_message_and_keeps_the_input(
    client, upcoming_event, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, email="a@example.com")
    # The second seat is taken on the English page: translations share seats.
    post(client, django_capture_on_commit_callbacks, url=EN_URL, email="b@example.com")
    assert EventRegistration.objects.count() == 2
    mail.outbox.clear()

    response = post(client, django_capture_on_commit_callbacks, email="c@example.com", name="遅れた 人")
    assert "満席" in response.text
    assert EventRegistration.objects.count() == 2
    assert mail.outbox == []
    # A visitor arriving now sees the event is full, and no form.
    page = client.get(URL).text
    assert "満席のため" in page
    assert 'name="email"' not in page


def test_full_event_refuses_a_form_that_was_loaded_before_it_filled_up(client, upcoming_event):
    event = upcoming_event["ja"]
    registration_create(event=event, name="A", email="a@example.com", language_code="ja")
    registration_create(event=event, name="B", email="b@example.com", language_code="ja")
    with pytest.raises(EventFull):
        registration_create(event=event, name="C", email="c@example.com", language_code="ja")
    response = client.post(
        URL, {"name": "遅れた 人", "email": "c@example.com", "company": "", "consent": "on", "website": ""}
    )
    assert response.status_code == 200
    assert "満席のため、受付を終了しました。" in response.text
    assert EventRegistration.objects.count() == 2


def test_the_same_address_cannot_take_two_seats(client, upcoming_event, django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks)
    response = post(client, django_capture_on_commit_callbacks, email="HANAKO@example.co.jp")
    assert "このメールアドレスは既にこのイベントに登録されています。" in response.text
    assert EventRegistration.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address"}, "有効なメールアドレスを入力してください。"),
        ({"name": ""}, "この項目は必須です"),
        ({"name": "あ" * 101}, "この値は 100 文字以下でなければなりません( 101 文字になっています)。"),
        ({"consent": ""}, "参加登録には、プライバシーポリシーへの同意が必要です。"),
    ],
)
def test_bad_input_is_explained_in_japanese_and_nothing_is_lost(client, upcoming_event, data, message):
    payload = {
        "name": "山田 花子",
        "email": "hanako@example.co.jp",
        "company": "共創化学株式会社",
        "consent": "on",
        "website": "",
    }
    payload.update(data)
    response = client.post(URL, payload)
    assert response.status_code == 200
    assert message in response.text
    assert "入力内容をご確認ください。" in response.text
    assert 'value="共創化学株式会社"' in response.text  # what was typed is still there
    assert EventRegistration.objects.count() == 0
    assert mail.outbox == []


def test_bad_input_on_the_english_page_is_explained_in_english(client, upcoming_event):
    response = client.post(EN_URL, {"name": "Jane", "email": "jane@", "company": "ACME", "website": ""})
    assert "Enter a valid email address." in response.text
    assert 'value="ACME"' in response.text


def test_html_in_a_name_is_stored_as_given_and_never_rendered(
    client, upcoming_event, django_capture_on_commit_callbacks, admin_client
):
    evil = '<script>alert("x")</script>'
    post(client, django_capture_on_commit_callbacks, name=evil, company="<b>ACME</b>")
    registration = EventRegistration.objects.get()
    assert registration.name == evil
    (message,) = mail.outbox
    assert not getattr(message, "alternatives", None)  # plain text only: markup reaches the reader as text
    assert evil in message.body

    listing = admin_client.get("/admin/event-registrations/")
    assert listing.status_code == 200
    assert evil not in listing.text
    assert "&lt;script&gt;" in listing.text


def test_rejected_submission_keeps_script_escaped_in_the_form(client, upcoming_event):
    response = client.post(URL, {"name": '"><script>alert(1)</script>', "email": "bad", "website": ""})
    assert "<script>alert(1)</script>" not in response.text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_honeypot_pretends_success_but_stores_and_sends_nothing(
    client, upcoming_event, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response.redirect_chain
    assert EventRegistration.objects.count() == 0
    assert mail.outbox == []


def test_repeated_submissions_are_rate_limited(client, upcoming_event, settings):
    settings.EVENTS_REGISTRATION_RATE_LIMIT = (2, 600)
    for _n in range(2):
        client.post(URL, {"name": "X", "email": "bad", "website": ""})
    response = client.post(
        URL, {"name": "山田", "email": "ok@example.com", "company": "共創", "consent": "on", "website": ""}
    )
    assert "短時間に多くの登録" in response.text
    assert 'value="共創"' in response.text
    assert EventRegistration.objects.count() == 0


def test_behind_one_trusted_proxy_two_visitors_are_limited_separately(client, upcoming_event, settings):
    settings.EVENTS_REGISTRATION_RATE_LIMIT = (1, 600)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    behind = {"REMOTE_ADDR": "10.0.0.1"}
    data = {"name": "山田", "email": "ok@example.com", "company": "共創", "consent": "on", "website": ""}
    client.post(URL, {"name": "X", "email": "bad", "website": ""}, HTTP_X_FORWARDED_FOR="203.0.113.7", **behind)
    refused = client.post(URL, data, HTTP_X_FORWARDED_FOR="203.0.113.7", **behind)
    assert "短時間に多くの登録" in refused.text
    client.post(URL, data, HTTP_X_FORWARDED_FOR="198.51.100.9", **behind)
    assert EventRegistration.objects.get().email == "ok@example.com"


def test_registration_closes_when_staff_close_it(client, upcoming_event):
    event = upcoming_event["ja"]
    event.registration_open = False
    event.save_revision().publish()
    html = client.get(URL).text
    assert "このイベントの参加登録は締め切りました。" in html
    response = client.post(URL, {"name": "X", "email": "x@example.com", "consent": "on", "website": ""})
    assert EventRegistration.objects.count() == 0
    assert "締め切りました" in response.text


def test_consent_box_links_to_the_privacy_policy_in_the_page_language(client, upcoming_event, demo_home):
    from organization.models import PrivacyPolicyPage

    from tests.events.conftest import translate

    privacy = demo_home.add_child(instance=PrivacyPolicyPage(title="個人情報の取扱い", slug="privacy"))
    privacy.save_revision().publish()
    translate(privacy, "en", title="Privacy policy")
    ja = client.get(URL).text
    assert '<a href="/ja/privacy/">プライバシーポリシー</a>に定めるとおり' in ja
    assert 'name="consent"' in ja
    assert 'as our <a href="/en/privacy/">privacy policy</a> describes' in client.get(EN_URL).text
