"""The contact CM reads the inquiry notice in their own notification language,
whatever language the sender wrote in."""

import pytest
from django.core import mail

from .test_inquiries import EN_URL, URL, send

pytestmark = pytest.mark.django_db


def _notice(cm_email: str):
    return next(m for m in mail.outbox if m.to == [cm_email])


def test_an_english_reading_cm_gets_the_notice_in_english(client, seed_site, django_capture_on_commit_callbacks):
    cm = seed_site["cm"]
    cm.notification_language = "en"
    cm.save()
    # The sender writes from the Japanese page; the CM still reads English, with the seed's English title.
    send(client, django_capture_on_commit_callbacks, url=URL)
    notice = _notice(cm.email)
    assert notice.subject == "New inquiry about Heat-resistant ceramics from 共創化学株式会社"
    assert "A new inquiry has arrived about a seed you are the contact for." in notice.body
    assert "/en/seeds/ceramics/" in notice.body
    assert "新しいお問い合わせ" not in notice.body


def test_a_japanese_reading_cm_gets_the_japanese_title_for_an_english_inquiry(
    client, seed_site, django_capture_on_commit_callbacks
):
    send(client, django_capture_on_commit_callbacks, url=EN_URL, name="Jane Doe", email="jane@example.com")
    notice = _notice(seed_site["cm"].email)
    assert "高耐熱セラミックス材料" in notice.subject and "新しいお問い合わせ" in notice.body
    assert "/ja/seeds/ceramics/" in notice.body
