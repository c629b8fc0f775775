"""News and event pages: creation rules and rendering in both languages."""

from datetime import date

import icalendar
import pytest
from events.models import EventIndexPage, EventPage, NewsIndexPage, NewsPage
from wagtail.models import Page

from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_page_creation_rules(event_indexes):
    home = HomePage.objects.get(locale__language_code="ja")
    assert not NewsIndexPage.can_create_at(home)  # one per home page
    assert not EventIndexPage.can_create_at(home)
    assert NewsPage.can_create_at(event_indexes["news"])
    assert EventPage.can_create_at(event_indexes["events"])
    assert not EventPage.can_create_at(event_indexes["news"])
    assert not NewsPage.can_create_at(home)
    assert not EventPage.can_create_at(Page.get_first_root_node())


def test_news_index_and_page_in_both_languages(client, event_indexes):
    from .conftest import translate

    item = event_indexes["news"].add_child(
        instance=NewsPage(title="会員募集を開始しました", slug="members", date=date(2026, 4, 1), summary="募集開始")
    )
    item.save_revision().publish()
    translate(item, "en", title="Membership is open", summary="Applications open")

    ja = client.get("/ja/news/")
    assert ja.status_code == 200
    assert "会員募集を開始しました" in ja.text
    assert "2026年4月1日" in ja.text
    en = client.get("/en/news/")
    assert "Membership is open" in en.text
    assert "1 April 2026" in en.text
    assert "会員募集" not in en.text

    page = client.get("/ja/news/members/")
    assert page.status_code == 200
    assert "<h1>会員募集を開始しました</h1>" in page.text
    assert '"@type": "NewsArticle"' in page.text
    assert client.get("/en/news/members/").status_code == 200


def test_event_page_in_japanese_shows_jst_time_place_and_capacity(client, upcoming_event):
    response = client.get("/ja/events/matching-day/")
    assert response.status_code == 200
    html = response.text
    assert "<h1>ライフサイエンス マッチングデー</h1>" in html
    assert "2099年6月5日（金）13:00〜15:00（日本時間）" in html
    assert 'datetime="2099-06-05T13:00:00+09:00"' in html
    assert "共創大学 青葉キャンパス" in html
    assert "定員" in html and "2名" in html
    assert '"@type": "Event"' in html
    assert 'href="/ja/events/matching-day/ics/"' in html


def test_event_page_in_english(client, upcoming_event):
    html = client.get("/en/events/matching-day/").text
    assert "<h1>Life science matching day</h1>" in html
    assert "Fri 5 June 2099, 13:00–15:00 JST" in html
    assert "Aoba Campus" in html
    assert "2 people" in html


def test_online_event_says_online_without_its_meeting_link(client, event_indexes):
    """The meeting link is for registered attendees (tests/events/test_online_link.py)."""
    from datetime import datetime

    from .conftest import JST, add_event

    add_event(
        event_indexes["events"],
        slug="webinar",
        title="オンラインセミナー",
        start=datetime(2099, 1, 10, 18, 30, tzinfo=JST),
        venue="",
        online_url="https://meet.example.jp/kyoso",
    )
    html = client.get("/ja/events/webinar/").text
    assert "オンライン" in html and "meet.example.jp" not in html
    assert "OnlineEventAttendanceMode" in html


def test_event_needs_a_place_and_an_end_after_its_start(upcoming_event):
    from django.core.exceptions import ValidationError

    event = upcoming_event["ja"]
    event.venue = ""
    event.online_url = ""
    event.end = event.start
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert set(exc.value.message_dict) >= {"venue", "end"}


def test_index_lists_upcoming_events_and_archive_lists_past_ones(client, upcoming_event, past_event):
    upcoming = client.get("/ja/events/").text
    assert "ライフサイエンス マッチングデー" in upcoming
    assert "エネルギーフォーラム" not in upcoming
    assert 'href="/ja/events/archive/"' in upcoming

    archive = client.get("/ja/events/archive/")
    assert archive.status_code == 200
    assert "過去のイベント" in archive.text
    assert "エネルギーフォーラム" in archive.text
    assert "ライフサイエンス マッチングデー" not in archive.text
    assert "Past events" in client.get("/en/events/archive/").text


def test_past_event_page_says_it_has_ended_and_offers_no_form(client, past_event):
    html = client.get("/ja/events/past-forum/").text
    assert "このイベントは終了しました。" in html
    assert 'name="email"' not in html


def test_ics_file_describes_the_event_in_jst(client, upcoming_event):
    response = client.get("/ja/events/matching-day/ics/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="matching-day.ics"' in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "ライフサイエンス マッチングデー"
    start = vevent.decoded("DTSTART")
    assert (start.year, start.month, start.day, start.hour, start.minute) == (2099, 6, 5, 13, 0)
    assert str(start.tzinfo) == "Asia/Tokyo"
    assert vevent.decoded("DTEND").hour == 15
    assert "共創大学 青葉キャンパス" in str(vevent["LOCATION"])
    assert str(vevent["URL"]).endswith("/ja/events/matching-day/")
    assert calendar.walk("VTIMEZONE"), "the file carries its time zone"

    english = icalendar.Calendar.from_ical(client.get("/en/events/matching-day/ics/").content)
    (en_event,) = english.walk("VEVENT")
    assert str(en_event["SUMMARY"]) == "Life science matching day"
    assert str(en_event["UID"]) == str(vevent["UID"]), "one event, one UID in every language"


def test_home_page_shows_upcoming_events_and_latest_news(client, upcoming_event, past_event, event_indexes):
    for n in range(4):
        item = event_indexes["news"].add_child(
            instance=NewsPage(title=f"お知らせ{n}", slug=f"n{n}", date=date(2026, 1, 1 + n))
        )
        item.save_revision().publish()
    html = client.get("/ja/").text
    assert "今後のイベント" in html
    assert "ライフサイエンス マッチングデー" in html
    assert "エネルギーフォーラム" not in html  # past
    assert "お知らせ3" in html and "お知らせ1" in html
    assert "お知らせ0" not in html  # only the latest three
    english = client.get("/en/").text
    assert "Upcoming events" in english
    assert "Life science matching day" in english
    assert "ライフサイエンス" not in english
