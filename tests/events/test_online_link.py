"""An online event's meeting link reaches registered attendees only: their confirmation
e-mail and their own .ics, never the public page, its JSON-LD or the public .ics."""

from datetime import datetime
from urllib.parse import urlsplit

import icalendar
import pytest
from django.core import mail
from django.test import Client
from events.models import EventRegistration, RegistrationStatus
from events.selectors import attendee_ics_token
from events.services import registration_set_status

from .conftest import JST, add_event, translate

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.jp/kyoso-webinar-7f3a"


@pytest.fixture
def webinar(event_indexes):
    event = add_event(
        event_indexes["events"],
        slug="webinar",
        title="オンラインセミナー",
        start=datetime(2099, 1, 10, 18, 30, tzinfo=JST),
        venue="",
        online_url=LINK,
        capacity=10,
    )
    translate(event, "en", title="Online seminar")
    return event


def _register(client, capture, url="/ja/events/webinar/", email="hanako@example.co.jp"):
    data = {"name": "山田 花子", "email": email, "company": "共創化学株式会社", "consent": "on", "website": ""}
    with capture(execute=True):
        response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return EventRegistration.objects.get(email=email)


def _vevent(ics: bytes):
    (vevent,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return vevent


@pytest.mark.parametrize("path", ["/ja/events/webinar/", "/en/events/webinar/", "/ja/events/", "/en/events/"])
def test_the_public_pages_lack_the_link(client, webinar, path):
    assert LINK not in client.get(path).text


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_public_ics_says_online_without_the_link(client, webinar, language):
    response = client.get(f"/{language}/events/webinar/ics/")
    assert response.status_code == 200 and LINK.encode() not in response.content
    assert str(_vevent(response.content)["LOCATION"]) == {"ja": "オンライン", "en": "Online"}[language]


def test_the_attendees_mail_and_own_ics_have_the_link(client, webinar, django_capture_on_commit_callbacks):
    registration = _register(client, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert LINK in message.body
    (attachment,) = message.attachments
    assert str(_vevent(attachment[1])["LOCATION"]) == LINK
    # Their own .ics, from the URL in the mail, in another browser.
    (own_url,) = [line for line in message.body.splitlines() if "/ics/?registration=" in line]
    own = urlsplit(own_url.strip())
    response = Client().get(f"{own.path}?{own.query}")
    assert response.status_code == 200
    assert str(_vevent(response.content)["LOCATION"]) == LINK and LINK in str(_vevent(response.content)["DESCRIPTION"])
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # The same registration's file on the English page of the event, too.
    english = client.get("/en/events/webinar/ics/", {"registration": attendee_ics_token(registration=registration)})
    assert str(_vevent(english.content)["LOCATION"]) == LINK
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_wrong_forged_other_or_cancelled_token_gets_the_public_ics(
    client, webinar, event_indexes, django_capture_on_commit_callbacks
):
    registration = _register(client, django_capture_on_commit_callbacks)
    token = attendee_ics_token(registration=registration)
    other = add_event(
        event_indexes["events"], slug="other", title="別の催し", start=datetime(2099, 2, 1, 10, 0, tzinfo=JST)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            other.url,
            {"name": "佐藤 一郎", "email": "ichiro@example.co.jp", "consent": "on", "website": ""},
        )
    other_token = attendee_ics_token(registration=EventRegistration.objects.get(event=other))
    for bad in ("nonsense", token[:-2] + "xx", other_token):
        response = client.get("/ja/events/webinar/ics/", {"registration": bad})
        assert response.status_code == 200 and LINK.encode() not in response.content
    with django_capture_on_commit_callbacks(execute=True):
        registration_set_status(registration=registration, status=RegistrationStatus.CANCELLED, by=None)
    response = client.get("/ja/events/webinar/ics/", {"registration": token})
    assert LINK.encode() not in response.content
