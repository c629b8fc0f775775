"""The Nu HTML checker finds no errors in the news and event pages, in both
languages, including an event page showing form errors."""

import pytest

from tests.html_check import vnu_errors

pytestmark = pytest.mark.django_db


def test_event_news_and_index_pages_are_valid_html(client, upcoming_event, past_event, event_indexes):
    from datetime import date

    from events.models import NewsPage

    news = event_indexes["news"].add_child(instance=NewsPage(title="お知らせ", slug="notice", date=date(2026, 4, 1)))
    news.save_revision().publish()
    pages = {
        url: client.get(url).text
        for url in (
            "/ja/events/matching-day/",
            "/en/events/matching-day/",
            "/ja/events/",
            "/ja/events/archive/",
            "/ja/events/past-forum/",
            "/ja/news/",
            "/ja/news/notice/",
            "/ja/",
        )
    }
    pages["/ja/events/matching-day/ (errors)"] = client.post(
        "/ja/events/matching-day/", {"name": "", "email": "bad", "website": ""}
    ).text
    assert vnu_errors(pages) == {url: [] for url in pages}
