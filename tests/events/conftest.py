"""A news and event tree in Japanese and English, built like the demo builds it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Locale

JST = ZoneInfo("Asia/Tokyo")


def translate(page, language_code: str, **fields):
    copy = page.copy_for_translation(Locale.objects.get(language_code=language_code))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy


def add_event(index, *, slug: str, title: str, start: datetime, hours: int = 2, **fields):
    from events.models import EventPage

    fields.setdefault("venue", "共創大学 青葉キャンパス")
    event = index.add_child(
        instance=EventPage(title=title, slug=slug, start=start, end=start + timedelta(hours=hours), **fields)
    )
    event.save_revision().publish()
    return event


@pytest.fixture
def event_indexes(demo_home):
    from events.models import EventIndexPage, NewsIndexPage

    news = demo_home.add_child(instance=NewsIndexPage(title="ニュース", slug="news", show_in_menus=True))
    news.save_revision().publish()
    events = demo_home.add_child(instance=EventIndexPage(title="イベント・セミナー", slug="events", show_in_menus=True))
    events.save_revision().publish()
    return {
        "news": news,
        "news_en": translate(news, "en", title="News"),
        "events": events,
        "events_en": translate(events, "en", title="Events and seminars"),
    }


@pytest.fixture
def upcoming_event(event_indexes):
    """Friday 5 June 2099, 13:00–15:00 JST, 2 seats, in Japanese and English."""
    event = add_event(
        event_indexes["events"],
        slug="matching-day",
        title="ライフサイエンス マッチングデー",
        start=datetime(2099, 6, 5, 13, 0, tzinfo=JST),
        capacity=2,
        summary="研究者による技術シーズ紹介",
    )
    english = translate(
        event, "en", title="Life science matching day", venue="Aoba Campus", summary="Researchers present seeds"
    )
    return {"ja": event, "en": english}


@pytest.fixture
def past_event(event_indexes):
    return add_event(
        event_indexes["events"],
        slug="past-forum",
        title="エネルギーフォーラム",
        start=timezone.now() - timedelta(days=30),
        capacity=10,
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limit lives in the database cache, which transactional tests
    # do not flush.
    cache.clear()
    yield
    cache.clear()
