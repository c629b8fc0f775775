"""The public site's pages: creation rules, rendering in both languages,
fallback, SEO metadata, sitemaps and the members-only seed detail."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from organization.models import ContactPage, CostRulesPage, OrganizationPage, PrivacyPolicyPage, StructurePage
from people.models import PeopleIndexPage
from seeds.models import SeedIndexPage, SeedPage

from home.models import HomePage

from .public_site import MEMBERS_SECRET, build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_tree(db):
    return build_site(seeds=3)


def test_page_creation_rules(site_tree):
    home, index, about = site_tree["home"], site_tree["index"], site_tree["about"]
    seed = site_tree["seeds"][0]
    assert SeedPage.can_create_at(index)
    assert not SeedPage.can_create_at(home)
    assert not SeedPage.can_create_at(seed)
    # One catalogue per home; it is already there.
    assert not SeedIndexPage.can_create_at(home)
    assert not SeedIndexPage.can_create_at(about)
    assert not PeopleIndexPage.can_create_at(home)
    assert OrganizationPage.can_create_at(home)
    for model in (StructurePage, CostRulesPage):
        assert model.can_create_at(about)
        assert not model.can_create_at(index)
    # Contact and privacy: one each per parent.
    assert not ContactPage.can_create_at(about)
    assert not PrivacyPolicyPage.can_create_at(about)
    assert not HomePage.can_create_at(home)


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/ja/", "共創"),
        ("/en/", "Kyoso"),
        ("/ja/seeds/", "研究シーズ"),
        ("/en/seeds/", "Research seeds"),
        ("/ja/seeds/seed-000/", "新材料開発シーズ000"),
        ("/en/seeds/seed-000/", "Seed 000 in English"),
        ("/ja/people/", "人と組織"),
        ("/en/people/", "People"),
        ("/ja/people/yamano-taro/", "山野 太郎"),
        ("/en/people/yamano-taro/", "Taro Yamano"),
        ("/ja/about/", "機構について"),
        ("/en/about/", "About"),
        ("/ja/about/structure/", "統括CM"),
        ("/en/about/structure/", "Structure"),
        ("/ja/about/cost-rules/", "30%"),
        ("/en/about/cost-rules/", "30%"),
        ("/ja/about/contact/", "oi@example.jp"),
        ("/en/about/contact/", "oi@example.jp"),
        ("/ja/about/privacy/", "回答のため"),
        ("/en/about/privacy/", "To answer you"),
    ],
)
def test_every_page_type_renders_in_both_languages(client, site_tree, url, text):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    lang = url.split("/")[1]
    assert f'<html lang="{lang}">' in html
    assert text in html
    assert '<link rel="canonical"' in html


def test_interface_is_in_the_page_language(client, site_tree):
    ja = client.get("/ja/seeds/seed-000/").content.decode()
    en = client.get("/en/seeds/seed-000/").content.decode()
    assert "研究分野" in ja and "Research fields" not in ja
    assert "Research fields" in en


def test_cost_rules_show_the_staff_entered_rates(client, site_tree):
    page = CostRulesPage.objects.get(locale__language_code="ja")
    page.strategic_rate = 25
    page.example_direct_cost = 1_000_000
    page.save_revision().publish()
    html = client.get("/ja/about/cost-rules/").content.decode()
    assert "35%" in html  # 10 + 25
    assert "1,350,000" in html  # worked example total


def test_structure_chart_is_nested_lists_built_from_data(client, site_tree):
    html = client.get("/ja/about/structure/").content.decode()
    # 学長 > 機構長 > 統括CM, each nested inside the one above, and the CM listed by name.
    assert re.search(r"学長.*?<ul>.*?機構長.*?<ul>.*?統括CM.*?星 明", html, re.S)


def test_untranslated_page_falls_back_to_japanese_with_a_notice(client, site_tree):
    index = site_tree["index"]
    from .public_site import make_seed

    make_seed(index, 99, *_taxa(site_tree), translate_seed=False)
    response = client.get("/en/seeds/seed-099/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "細胞診断シーズ099" in html
    assert "not yet available in English" in html
    assert '<html lang="en">' in html and '<div lang="ja">' in html
    # Canonical points at the Japanese original.
    assert re.search(r'<link rel="canonical" href="[^"]*/ja/seeds/seed-099/">', html)
    assert client.get("/en/seeds/no-such-seed/").status_code == 404


def _taxa(site_tree):
    seed = site_tree["seeds"][0]
    return seed.research_fields.first(), seed.department, site_tree["researcher"], site_tree["cm"]


def test_hreflang_canonical_opengraph_and_json_ld(client, site_tree):
    html = client.get("/ja/seeds/seed-000/").content.decode()
    assert re.search(r'<link rel="alternate" hreflang="en" href="http[^"]*/en/seeds/seed-000/">', html)
    assert re.search(r'<link rel="alternate" hreflang="ja" href="http[^"]*/ja/seeds/seed-000/">', html)
    assert 'hreflang="x-default"' in html
    assert '<meta property="og:title" content="新材料開発シーズ000">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["name"] == "新材料開発シーズ000"
    assert data["author"][0]["name"] == "山野 太郎"
    assert MEMBERS_SECRET not in json.dumps(data, ensure_ascii=False)
    home = client.get("/en/").content.decode()
    assert '"@type": "Organization"' in home
    person = client.get("/en/people/yamano-taro/").content.decode()
    assert '"@type": "Person"' in person and "yamano-taro@example.jp" not in person


def test_sitemap_per_language_and_robots(client, site_tree):
    ja = client.get("/ja/sitemap.xml").content.decode()
    en = client.get("/en/sitemap.xml").content.decode()
    assert "/ja/seeds/seed-000/" in ja and "/en/seeds/" not in ja
    assert "/en/seeds/seed-000/" in en and "/ja/seeds/" not in en
    assert "/ja/people/yamano-taro/" in ja
    assert MEMBERS_SECRET not in ja
    index = client.get("/sitemap.xml").content.decode()
    assert "/ja/sitemap.xml" in index and "/en/sitemap.xml" in index
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap:" in robots and "Disallow: /admin/" in robots


def test_main_menu_lists_live_pages_shown_in_menus(client, site_tree):
    html = client.get("/en/").content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    assert 'href="/en/seeds/"' in nav and 'href="/en/about/"' in nav
    site_tree["index"].get_translation(site_tree["index"].locale.__class__.objects.get(language_code="en")).unpublish()
    nav = re.search(r'<nav class="main-nav".*?</nav>', client.get("/en/").content.decode(), re.S).group(0)
    assert 'href="/en/seeds/"' not in nav


def test_members_only_detail_is_absent_for_anonymous_and_shown_to_staff(client, site_tree):
    for url in ("/ja/seeds/seed-000/", "/en/seeds/seed-000/", "/ja/seeds/", "/ja/"):
        assert MEMBERS_SECRET not in client.get(url).content.decode()
    user = get_user_model().objects.create_user(email="plain@example.jp", password="pw-123456789")
    client.force_login(user)
    assert MEMBERS_SECRET not in client.get("/ja/seeds/seed-000/").content.decode()
    staff = get_user_model().objects.create_user(email="staff@example.jp", password="pw-123456789", is_staff=True)
    client.force_login(staff)
    assert MEMBERS_SECRET in client.get("/ja/seeds/seed-000/").content.decode()


def test_japanese_members_box_says_each_sentence_once(client, site_tree):
    html = client.get("/ja/seeds/seed-000/").content.decode()
    box = re.search(r'<section class="members-teaser".*?</h2>(.*?)</section>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", box)
    sentences = [s.strip() for s in re.split(r"(?<=。)", text) if s.strip().endswith("。")]
    assert sentences  # the teaser is there, in Japanese
    assert len(sentences) == len(set(sentences)), sentences


def test_home_titles_name_the_organization_once(client, site_tree):
    for url in ("/ja/", "/en/"):
        title = re.search(r"<title>(.*?)</title>", client.get(url).content.decode(), re.S).group(1)
        assert "|" not in title and title.strip(), (url, title)
    seed_title = re.search(r"<title>(.*?)</title>", client.get("/ja/seeds/seed-000/").content.decode()).group(1)
    assert seed_title.startswith("新材料開発シーズ000 | ")


def test_english_home_features_the_translations_of_the_japanese_choice(client, site_tree):
    from home.models import HomeFeaturedSeed

    home_ja = site_tree["home"]
    chosen = [site_tree["seeds"][2], site_tree["seeds"][0]]
    for order, seed in enumerate(chosen):
        HomeFeaturedSeed.objects.create(page=home_ja, seed=seed, sort_order=order)
    home_ja.save_revision().publish()

    def featured(url):
        html = client.get(url).content.decode()
        section = re.search(
            r'<section class="home-section" aria-labelledby="featured-heading">.*?</section>', html, re.S
        )
        return re.findall(r'<h3 class="seed-card-title"><a href="([^"]+)"', section.group(0))

    assert featured("/ja/") == ["/ja/seeds/seed-002/", "/ja/seeds/seed-000/"]
    # The English home page chose nothing itself (it was copied before the choice).
    assert featured("/en/") == ["/en/seeds/seed-002/", "/en/seeds/seed-000/"]


def test_people_index_groups_by_role_and_researchers_list_their_seeds(client, site_tree):
    html = client.get("/ja/people/").content.decode()
    assert html.index('id="role-general_cm"') < html.index('id="role-researcher"')
    person = client.get("/ja/people/yamano-taro/").content.decode()
    assert "新材料開発シーズ000" in person and "やまの たろう" in person


def test_related_seeds_are_shown_in_the_page_language(client, site_tree):
    first, second = site_tree["seeds"][0], site_tree["seeds"][1]
    first.related_seeds.set([second])
    first.save_revision().publish()
    en = first.get_translation(first.locale.__class__.objects.get(language_code="en")).specific
    en.related_seeds.set([second])  # a copied link still points at the Japanese page
    en.save_revision().publish()
    ja_html = client.get("/ja/seeds/seed-000/").content.decode()
    en_html = client.get("/en/seeds/seed-000/").content.decode()
    assert 'href="/ja/seeds/seed-001/">細胞診断シーズ001</a>' in ja_html
    assert 'href="/en/seeds/seed-001/">Seed 001 in English</a>' in en_html


def test_the_membership_call_on_home_leads_to_the_members_area_in_the_page_language(client, site_tree):
    for home in HomePage.objects.all():
        home.cta_heading = "法人会員になりませんか" if home.locale.language_code == "ja" else "Become a member"
        home.save_revision().publish()
    for lang in ("ja", "en"):
        html = client.get(f"/{lang}/").content.decode()
        assert f'class="button button-light" href="/{lang}/members/"' in html, lang
        # Anonymous visitors who follow it are asked to sign in (with a sign-up link), not shown an error.
        response = client.get(f"/{lang}/members/")
        assert response.status_code == 302 and f"/{lang}/accounts/login/" in response["Location"]
