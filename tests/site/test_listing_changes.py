"""What the seed list and home page keep between requests (card fragments,
seed counts) never shows a visitor an out-of-date card, count or a
restricted seed, in Japanese or English."""

import re

import pytest
from django.core.cache import caches
from seeds.models import Department, SeedPage
from wagtail.models import Locale, PageViewRestriction

from .public_site import build_site, make_seed

pytestmark = pytest.mark.django_db


def cards(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<h3 class="seed-card-title"><a href="([^"]+)">([^<]+)</a>', html)


def count_heading(html: str) -> str:
    return re.search(r'<h2 id="results-heading"[^>]*>\s*([^<]+?)\s*<', html).group(1)


@pytest.fixture
def tree(db):
    caches["fragments"].clear()
    return build_site(seeds=3)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_republished_seed_shows_its_new_title_on_the_list_and_home(client, tree, lang):
    seed = tree["seeds"][0]
    page = seed if lang == "ja" else seed.get_translation(Locale.objects.get(language_code="en"))
    before = client.get(f"/{lang}/seeds/").content.decode()
    assert page.title in [t for _u, t in cards(before)]
    client.get(f"/{lang}/")  # the home page's cards are cached too

    page = SeedPage.objects.get(pk=page.pk)
    page.title = f"改訂版 {page.title}" if lang == "ja" else f"Revised {page.title}"
    page.save_revision().publish()

    after = [t for _u, t in cards(client.get(f"/{lang}/seeds/").content.decode())]
    assert page.title in after
    assert all(t != page.title.split(" ", 1)[1] for t in after)
    home = [t for _u, t in cards(client.get(f"/{lang}/").content.decode())]
    assert page.title in home


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_card_links_are_the_pages_own_urls(client, tree, lang):
    html = client.get(f"/{lang}/seeds/").content.decode()
    locale = Locale.objects.get(language_code=lang)
    expected = {s.get_url(): s.title for s in SeedPage.objects.live().filter(locale=locale)}
    assert dict(cards(html)) == expected
    for url, _title in cards(html):
        assert client.get(url).status_code == 200


def test_renamed_department_shows_on_cached_cards(client, tree):
    client.get("/ja/seeds/")
    department = Department.objects.get(slug="engineering")
    department.name = "工学研究科（改組）"
    department.name_en = "Engineering (reorganized)"
    department.save()
    assert "工学研究科（改組）" in client.get("/ja/seeds/").content.decode()
    assert "Engineering (reorganized)" in client.get("/en/seeds/").content.decode()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_counts_follow_publishing_and_unpublishing(client, tree, lang):
    assert "3" in count_heading(client.get(f"/{lang}/seeds/").content.decode())
    assert "3" in client.get(f"/{lang}/").content.decode().split('class="hero-actions"')[1].split("</a>")[0]
    seed = tree["seeds"][0]
    new = make_seed(tree["index"], 9, seed.research_fields.first(), seed.department, tree["researcher"], tree["cm"])
    assert "4" in count_heading(client.get(f"/{lang}/seeds/").content.decode())
    filtered = f"/{lang}/seeds/?field=materials"
    materials = count_heading(client.get(filtered).content.decode())
    page = new if lang == "ja" else new.get_translation(Locale.objects.get(language_code="en"))
    page.unpublish()
    listing = client.get(f"/{lang}/seeds/").content.decode()
    assert "3" in count_heading(listing)
    assert page.title not in [t for _u, t in cards(listing)]
    assert count_heading(client.get(filtered).content.decode()) != materials
    assert "3" in client.get(f"/{lang}/").content.decode().split('class="hero-actions"')[1].split("</a>")[0]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_restricted_seed_leaves_the_list_count_and_its_page_asks_for_login(client, tree, lang):
    seed = tree["seeds"][1]
    page = seed if lang == "ja" else seed.get_translation(Locale.objects.get(language_code="en"))
    client.get(f"/{lang}/seeds/")
    client.get(page.get_url())
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    listing = client.get(f"/{lang}/seeds/").content.decode()
    assert page.title not in [t for _u, t in cards(listing)]
    assert "2" in count_heading(listing)
    response = client.get(page.get_url())
    assert response.status_code == 302 and "login" in response["Location"]

    PageViewRestriction.objects.filter(page=page).delete()
    assert page.title in [t for _u, t in cards(client.get(f"/{lang}/seeds/").content.decode())]
    assert client.get(page.get_url()).status_code == 200


def test_restriction_on_the_index_hides_every_seed_page(client, tree):
    url = tree["seeds"][0].get_url()
    assert client.get(url).status_code == 200
    PageViewRestriction.objects.create(page=tree["index"], restriction_type=PageViewRestriction.LOGIN)
    assert client.get(url).status_code == 302
    assert client.get("/ja/seeds/").status_code == 302
