"""A page not yet translated (or whose translation is not live) is served in
Japanese at the English URL with a notice, at any depth, and the language
switcher, hreflang and canonical links point at pages that exist."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from events.models import EventIndexPage, EventPage, EventRegistration, NewsIndexPage, NewsPage
from wagtail.models import Locale

from .public_site import build_site, make_person, make_seed, translate

pytestmark = pytest.mark.django_db

NOTICE = "This page is not yet available in English"
JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def site_tree(db):
    return build_site(seeds=1)


def _switcher(html: str) -> dict[str, str]:
    """The switcher's links by language; the current language as "current"."""
    nav = re.search(r'<nav class="lang-switcher".*?</nav>', html, re.S).group(0)
    links = {lang: href for href, lang in re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', nav)}
    links.update(dict.fromkeys(re.findall(r'aria-current="true" lang="(\w+)"', nav), "current"))
    return links


def _canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)">', html).group(1)


def _taxa(site_tree):
    seed = site_tree["seeds"][0]
    return seed.research_fields.first(), seed.department, site_tree["researcher"], site_tree["cm"]


def test_seed_whose_english_translation_is_a_draft_falls_back(client, site_tree):
    seed = make_seed(site_tree["index"], 7, *_taxa(site_tree))
    english = seed.get_translation(Locale.objects.get(language_code="en"))
    english.unpublish()
    response = client.get("/en/seeds/seed-007/")
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE in html
    assert "細胞診断シーズ007" in html and "Seed 007 in English" not in html
    assert _switcher(html) == {"ja": "/ja/seeds/seed-007/", "en": "current"}
    assert _canonical(html).endswith("/ja/seeds/seed-007/")
    # No hreflang for a translation that is not there.
    assert 'hreflang="en" href="http' not in html


def test_untranslated_seed_switcher_and_no_notice_in_japanese(client, site_tree):
    make_seed(site_tree["index"], 8, *_taxa(site_tree), translate_seed=False)
    en = client.get("/en/seeds/seed-008/").content.decode()
    assert _switcher(en) == {"ja": "/ja/seeds/seed-008/", "en": "current"}
    ja = client.get("/ja/seeds/seed-008/").content.decode()
    assert NOTICE not in ja and "まだ英語版がありません" not in ja
    # From the Japanese page the switcher still offers the English URL, which falls back.
    assert _switcher(ja) == {"ja": "current", "en": "/en/seeds/seed-008/"}


@pytest.fixture
def events_tree(site_tree):
    home = site_tree["home"]
    news = home.add_child(instance=NewsIndexPage(title="ニュース", slug="news"))
    news.save_revision().publish()
    translate(news, Locale.objects.get(language_code="en"), title="News")
    events = home.add_child(instance=EventIndexPage(title="イベント", slug="events"))
    events.save_revision().publish()
    translate(events, Locale.objects.get(language_code="en"), title="Events")
    return {"news": news, "events": events}


def test_untranslated_event_falls_back_and_registers_in_english(
    client, events_tree, django_capture_on_commit_callbacks
):
    start = datetime(2099, 6, 5, 13, 0, tzinfo=JST)
    event = events_tree["events"].add_child(
        instance=EventPage(
            title="未翻訳の交流会", slug="mixer", start=start, end=start.replace(hour=15), venue="共創ホール"
        )
    )
    event.save_revision().publish()
    url = "/en/events/mixer/"
    html = client.get(url).content.decode()
    assert NOTICE in html and "未翻訳の交流会" in html
    assert _switcher(html) == {"ja": "/ja/events/mixer/", "en": "current"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"name": "Jane Doe", "email": "jane@example.com", "company": "", "consent": "on", "website": ""},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == f"{url}#messages"  # back to the thank-you message
    assert "Your registration is confirmed" in response.content.decode()
    assert '<a href="/en/events/">All events</a>' in response.content.decode()
    registration = EventRegistration.objects.get()
    assert registration.language_code == "en"
    (message,) = mail.outbox
    assert "Dear Jane Doe," in message.body


def test_untranslated_news_item_falls_back(client, events_tree):
    item = events_tree["news"].add_child(instance=NewsPage(title="日本語だけのお知らせ", slug="ja-only"))
    item.save_revision().publish()
    response = client.get("/en/news/ja-only/")
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE in html and "日本語だけのお知らせ" in html


def test_page_below_an_untranslated_parent_falls_back(client, site_tree):
    home = site_tree["home"]
    news = home.add_child(instance=NewsIndexPage(title="ニュース", slug="news"))
    news.save_revision().publish()
    item = news.add_child(instance=NewsPage(title="親も未翻訳", slug="orphan"))
    item.save_revision().publish()
    for url in ("/en/news/", "/en/news/orphan/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTICE in response.content.decode()
    assert client.get("/en/news/missing/").status_code == 404


def test_third_level_page_under_a_translated_parent_falls_back(client, site_tree):
    from organization.models import OrganizationPage

    about = site_tree["about"]
    history = about.add_child(instance=OrganizationPage(title="沿革", slug="history", lead="機構の歩み"))
    history.save_revision().publish()
    html = client.get("/en/about/history/").content.decode()
    assert NOTICE in html and "機構の歩み" in html
    assert _switcher(html) == {"ja": "/ja/about/history/", "en": "current"}


def test_person_profile_switcher_and_links_point_at_the_profile(client, site_tree):
    html = client.get("/en/people/yamano-taro/").content.decode()
    assert NOTICE not in html
    assert _switcher(html) == {"ja": "/ja/people/yamano-taro/", "en": "current"}
    assert _canonical(html).endswith("/en/people/yamano-taro/")
    assert re.search(r'hreflang="ja" href="http[^"]*/ja/people/yamano-taro/"', html)
    ja = client.get("/ja/people/yamano-taro/").content.decode()
    assert _canonical(ja).endswith("/ja/people/yamano-taro/")
    assert _switcher(ja) == {"ja": "current", "en": "/en/people/yamano-taro/"}


def test_person_profile_without_english_text_falls_back_with_a_notice(client, site_tree):
    make_person(
        "kawa-hanako",
        family_name="川",
        given_name="花子",
        family_name_romaji="Kawa",
        given_name_romaji="Hanako",
        position="准教授",
        position_en="",
        career="民間企業を経て着任。",
        career_en="",
    )
    html = client.get("/en/people/kawa-hanako/").content.decode()
    assert "Hanako Kawa" in html
    assert NOTICE in html
    assert re.search(r'lang="ja"[^>]*>\s*(<p>)?民間企業を経て着任。', html)
    # A fully translated profile has no notice.
    assert NOTICE not in client.get("/en/people/yamano-taro/").content.decode()


def test_person_profile_when_the_people_page_is_not_translated(client, site_tree):
    from people.models import PeopleIndexPage

    PeopleIndexPage.objects.get(locale__language_code="en").unpublish()
    response = client.get("/en/people/yamano-taro/")
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE in html and "Taro Yamano" in html
    assert _switcher(html) == {"ja": "/ja/people/yamano-taro/", "en": "current"}
    assert client.get("/en/people/nobody-here/").status_code == 404


def test_event_archive_switcher_and_canonical_point_at_the_archive(client, events_tree):
    html = client.get("/en/events/archive/").content.decode()
    assert _switcher(html) == {"ja": "/ja/events/archive/", "en": "current"}
    assert _canonical(html).endswith("/en/events/archive/")
    assert re.search(r'hreflang="ja" href="http[^"]*/ja/events/archive/"', html)


def test_switcher_keeps_the_seed_filters(client, site_tree):
    html = client.get("/en/seeds/?field=materials&sort=title").content.decode()
    assert _switcher(html)["ja"] == "/ja/seeds/?field=materials&amp;sort=title"
