"""What the public pages keep between requests (kyoso_site.fragments: the
seed page's public parts, links, head and empty inquiry form; the home's
events and news; listing keys; the filter form) never shows a visitor
something out of date, another visitor's form or the members-only detail, in
Japanese or English."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from events.models import EventIndexPage, EventPage, NewsIndexPage, NewsPage
from people.models import Person
from seeds.models import ResearchField, SeedPage
from wagtail.models import Locale, PageViewRestriction

from .public_site import MEMBERS_SECRET, build_site, translate

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def tree(db):
    caches["fragments"].clear()
    return build_site(seeds=3)


def seed_in(tree, lang: str, i: int = 0) -> SeedPage:
    seed = tree["seeds"][i]
    if lang == "ja":
        return SeedPage.objects.get(pk=seed.pk)
    return SeedPage.objects.get(pk=seed.get_translation(Locale.objects.get(language_code=lang)).pk)


def url_of(seed: SeedPage) -> str:
    return seed.get_url()


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_republished_title_and_body_show_on_the_next_request(client, tree, lang):
    seed = seed_in(tree, lang)
    url = url_of(seed)
    html = get(client, url)
    assert f"<h1>{seed.title}</h1>" in html
    get(client, url)  # served from the fragments now

    seed.title = "改訂したシーズ" if lang == "ja" else "A revised seed"
    seed.body = [("text", "<p>改訂した本文 / revised body</p>")]
    seed.save_revision().publish()

    html = get(client, url)
    assert f"<h1>{seed.title}</h1>" in html
    assert "改訂した本文 / revised body" in html
    assert f'"name": "{seed.title}"' in html  # the JSON-LD in the head too


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_renamed_researcher_and_contact_cm_show_on_the_next_request(client, tree, lang):
    url = url_of(seed_in(tree, lang))
    html = get(client, url)
    assert ("山野 太郎" if lang == "ja" else "Taro Yamano") in html
    researcher = Person.objects.get(pk=tree["researcher"].pk)
    researcher.family_name, researcher.family_name_romaji = "川野", "Kawano"
    researcher.save()
    cm = Person.objects.get(pk=tree["cm"].pk)
    cm.given_name, cm.given_name_romaji = "光", "Hikaru"
    cm.save()
    html = get(client, url)
    assert ("川野 太郎" if lang == "ja" else "Taro Kawano") in html
    assert ("星 光" if lang == "ja" else "Hikaru Hoshi") in html
    assert "山野" not in html and "Yamano" not in html


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_renamed_research_field_shows_on_the_seed_page_and_the_filter_form(client, tree, lang):
    url = url_of(seed_in(tree, lang))
    old = "マテリアル" if lang == "ja" else "Materials"
    assert old in get(client, url)
    assert old in get(client, f"/{lang}/seeds/?stage=seed")
    field = ResearchField.objects.get(slug="materials")
    field.name, field.name_en = "先端マテリアル", "Advanced materials"
    field.save()
    new = "先端マテリアル" if lang == "ja" else "Advanced materials"
    assert new in get(client, url)
    listing = get(client, f"/{lang}/seeds/?stage=seed")
    assert f'<option value="materials">{new}</option>' in listing


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_unpublished_seed_is_gone_on_the_next_request(client, tree, lang):
    seed = seed_in(tree, lang, 1)
    url = url_of(seed)
    get(client, url)
    get(client, url)
    seed.unpublish()
    response = client.get(url)
    if lang == "ja":
        assert response.status_code == 404
    else:
        # The English page falls back to the Japanese one, with a notice.
        html = response.content.decode()
        assert seed.title not in html
        assert "This page is not yet available in English" in html
    assert seed.title not in get(client, f"/{lang}/seeds/")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_view_restriction_applies_on_the_next_request(client, tree, lang):
    seed = seed_in(tree, lang, 2)
    url = url_of(seed)
    get(client, url)
    get(client, url)
    PageViewRestriction.objects.create(page=seed, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"] and url in response["Location"]
    assert seed.title not in get(client, f"/{lang}/seeds/")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_related_seed_renamed_and_privacy_page_moved_show_on_the_next_request(client, tree, lang):
    seed, other = seed_in(tree, lang, 0), seed_in(tree, lang, 1)
    seed.related_seeds.set([other])
    seed.save_revision().publish()
    url = url_of(seed)
    assert other.title in get(client, url)
    other.title = "名前を変えた関連シーズ" if lang == "ja" else "Renamed related seed"
    other.save_revision().publish()
    privacy = (
        tree["privacy"] if lang == "ja" else tree["privacy"].get_translation(Locale.objects.get(language_code="en"))
    )
    privacy = privacy.specific
    privacy.slug = "privacy-policy"
    privacy.save_revision().publish()
    html = get(client, url)
    assert f">{other.title}</a>" in html
    form = html.split('id="inquiry"')[1].split("</form>")[0]
    assert f'<a href="/{lang}/about/privacy-policy/">' in form


def csrf_value(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_visitor_gets_their_own_csrf_token_and_a_post_with_it_passes(tree, lang):
    url = url_of(seed_in(tree, lang))
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    token_one = csrf_value(get(first, url))
    token_two = csrf_value(get(second, url))
    assert token_one != token_two
    assert "placeholder" not in token_one
    data = {"inquiry_form": "seed-inquiry", "company": "", "name": "", "email": "x", "csrfmiddlewaretoken": token_two}
    # The second visitor's token with the second visitor's cookie: accepted
    # (the form comes back with its errors, not a 403).
    assert second.post(url, data).status_code == 200
    # The second visitor's token with the first visitor's cookie: refused.
    assert first.post(url, data).status_code == 403


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_form_errors_and_typed_values_stay_with_the_request_that_sent_them(client, tree, lang):
    url = url_of(seed_in(tree, lang))
    get(client, url)  # the empty form is cached now
    typed = {"inquiry_form": "seed-inquiry", "company": "入力した会社名", "name": "", "email": "not-an-e-mail"}
    html = client.post(url, typed).content.decode()
    assert 'value="入力した会社名"' in html
    assert 'value="not-an-e-mail"' in html
    assert 'class="form-errors" role="alert"' in html
    fresh = get(Client(), url)
    assert "入力した会社名" not in fresh and "not-an-e-mail" not in fresh
    assert 'class="form-errors"' not in fresh


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_members_only_detail_never_reaches_anonymous_html_through_a_cache(client, tree, lang):
    url = url_of(seed_in(tree, lang))
    anonymous = get(client, url)
    assert MEMBERS_SECRET not in anonymous
    staff = get_user_model().objects.create_user(email="staff@example.jp", password="x" * 12, is_staff=True)
    member = Client()
    member.force_login(staff)
    assert MEMBERS_SECRET in get(member, url)
    assert MEMBERS_SECRET in get(member, url)
    # After a visitor who sees it, anonymous visitors still do not, and the
    # header still offers them "Log in".
    for _ in range(2):
        html = get(Client(), url)
        assert MEMBERS_SECRET not in html
        assert "/accounts/login/" in html and "/accounts/logout/" not in html
    assert MEMBERS_SECRET not in get(client, f"/{lang}/")
    assert MEMBERS_SECRET not in get(client, f"/{lang}/seeds/")


@pytest.fixture
def home_events(tree):
    en = Locale.objects.get(language_code="en")
    home = tree["home"]
    events = home.add_child(instance=EventIndexPage(title="イベント", slug="events"))
    events.save_revision().publish()
    events_en = translate(events, en, title="Events")
    news = home.add_child(instance=NewsIndexPage(title="ニュース", slug="news"))
    news.save_revision().publish()
    news_en = translate(news, en, title="News")
    return {"ja": {"events": events, "news": news}, "en": {"events": events_en, "news": news_en}}


def add_event(index, slug: str, title: str, start: datetime, hours: int = 2) -> EventPage:
    event = index.add_child(
        instance=EventPage(title=title, slug=slug, start=start, end=start + timedelta(hours=hours), venue="会場")
    )
    event.save_revision().publish()
    return event


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_new_event_and_news_item_show_on_the_home_page_on_the_next_request(client, home_events, lang):
    indexes = home_events[lang]
    add_event(indexes["events"], "first", "最初の交流会", datetime(2099, 6, 5, 13, 0, tzinfo=JST))
    html = get(client, f"/{lang}/")
    assert "最初の交流会" in html
    get(client, f"/{lang}/")
    add_event(indexes["events"], "earlier", "もっと早い交流会", datetime(2099, 5, 1, 13, 0, tzinfo=JST))
    item = indexes["news"].add_child(instance=NewsPage(title="新しいお知らせ", slug="new", date=date(2099, 1, 1)))
    item.save_revision().publish()
    html = get(client, f"/{lang}/")
    assert "もっと早い交流会" in html and "新しいお知らせ" in html
    assert html.index("もっと早い交流会") < html.index("最初の交流会")
    item.unpublish()
    assert "新しいお知らせ" not in get(client, f"/{lang}/")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_an_event_leaves_the_home_page_once_it_has_ended(client, home_events, lang, monkeypatch):
    # Under way now, ending in ten minutes.
    start = timezone.now() - timedelta(minutes=50)
    add_event(home_events[lang]["events"], "now-on", "開催中の説明会", start, hours=1)
    assert "開催中の説明会" in get(client, f"/{lang}/")
    assert "開催中の説明会" in get(client, f"/{lang}/")
    # Twenty minutes later, with no page changed in between.
    later = timezone.now() + timedelta(minutes=20)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    monkeypatch.setattr("time.time", later.timestamp)
    assert "開催中の説明会" not in get(client, f"/{lang}/")
