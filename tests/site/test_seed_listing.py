"""The seed listing: filters, keyword, sorting, pagination, counts, URLs."""

import re

import pytest

from .public_site import MEMBERS_SECRET, build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_tree(db):
    return build_site(seeds=7, translate_seeds=False)


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="seed-card-title"><a href="[^"]+">([^<]+)</a>', html)


def test_filter_by_field_department_stage_and_collaboration(client, site_tree):
    html = client.get("/ja/seeds/?field=materials").content.decode()
    assert titles(html) and all("新材料開発" in t for t in titles(html))
    assert "4件" in html  # seeds 0, 2, 4, 6
    html = client.get("/ja/seeds/?department=medicine").content.decode()
    assert titles(html) and all("細胞診断" in t for t in titles(html))
    html = client.get("/ja/seeds/?stage=module").content.decode()
    assert sorted(titles(html)) == ["新材料開発シーズ004", "細胞診断シーズ001"]
    html = client.get("/ja/seeds/?collaboration=license").content.decode()
    assert len(titles(html)) == 3 and all("細胞診断" in t for t in titles(html))
    html = client.get("/ja/seeds/?field=materials&stage=module").content.decode()
    assert titles(html) == ["新材料開発シーズ004"]


def test_keyword_matches_japanese_substrings_but_not_members_only_text(client, site_tree):
    html = client.get("/ja/seeds/", {"q": "材料"}).content.decode()
    assert len(titles(html)) == 4
    html = client.get("/ja/seeds/", {"q": "MEMBERS-ONLY-SECRET"}).content.decode()
    assert titles(html) == []
    assert MEMBERS_SECRET not in html
    assert "条件に合うシーズはありません" in html or "No seeds match" in html


def test_sorting_by_title_and_newest(client, site_tree):
    by_title = titles(client.get("/ja/seeds/?sort=title").content.decode())
    assert by_title == sorted(by_title)
    newest = titles(client.get("/ja/seeds/").content.decode())
    assert newest[0] == "新材料開発シーズ006"  # published last


def test_pagination_links_keep_filters_and_are_stable(client, site_tree):
    html = client.get("/ja/seeds/?field=materials&sort=title&per_page=2").content.decode()
    assert len(titles(html)) == 2
    assert 'href="?field=materials&amp;sort=title&amp;per_page=2&amp;page=2"' in html
    page2 = client.get("/ja/seeds/?field=materials&sort=title&per_page=2&page=2").content.decode()
    assert len(titles(page2)) == 2 and set(titles(page2)).isdisjoint(titles(html))
    assert 'href="?field=materials&amp;sort=title&amp;per_page=2" rel="prev"' in page2
    # Out-of-range and junk page numbers show a real page, not an error.
    assert client.get("/ja/seeds/?page=999").status_code == 200
    assert client.get("/ja/seeds/?page=abc").status_code == 200


def test_unknown_filter_values_are_ignored_not_errors(client, site_tree):
    response = client.get("/ja/seeds/?field=nope&stage=<script>&collaboration=x")
    assert response.status_code == 200
    assert len(titles(response.content.decode())) == 7
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_filter_form_keeps_what_the_user_chose(client, site_tree):
    html = client.get("/ja/seeds/", {"q": "材料", "field": "materials"}).content.decode()
    assert 'value="材料"' in html
    assert re.search(r'<option value="materials" selected>', html)


def test_english_listing_uses_english_labels_and_same_filter_urls(client, site_tree):
    from .public_site import translate

    en = site_tree["index"].locale.__class__.objects.get(language_code="en")
    translate(site_tree["seeds"][0], en, title="New material seed", summary="s")
    html = client.get("/en/seeds/?field=materials").content.decode()
    assert titles(html) == ["New material seed"]
    assert ">Materials<" in html
