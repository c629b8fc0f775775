"""An editor's preview of an unsaved edit never reaches anonymous visitors
through a cache: the admin's real preview (POST the edit form, then GET the
preview) renders the draft, and the public page fetched right after it still
shows the published text, in Japanese and English."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from .public_site import build_site

pytestmark = pytest.mark.django_db

DRAFT = "未公開の下書き UNPUBLISHED-DRAFT"


@pytest.fixture
def tree(db):
    for cache in caches.all():
        cache.clear()
    return build_site(seeds=2)


def edit_form_data(admin_client, page: Page, **changes):
    """The page's edit form as the admin shows it, with `changes` typed in."""
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(nested_form_data(changes))
    return data


def preview(admin_client, page: Page, data) -> str:
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    state = admin_client.post(url, data).json()
    assert state == {"is_valid": True, "is_available": True}, state
    response = admin_client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def in_language(page: Page, lang: str) -> Page:
    page = page.specific
    return page if lang == "ja" else page.get_translation(Locale.objects.get(language_code=lang)).specific


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_previewed_seed_edit_is_not_served_to_anonymous_visitors(admin_client, tree, lang):
    seed = in_language(tree["seeds"][0], lang)
    data = edit_form_data(
        admin_client,
        seed,
        title=f"{DRAFT} title",
        summary=f"{DRAFT} summary",
        body=streamfield([("text", rich_text(f"<p>{DRAFT} body</p>"))]),
        intellectual_property=streamfield([]),
    )
    drafted = preview(admin_client, seed, data)
    assert f"{DRAFT} body" in drafted and f"{DRAFT} summary" in drafted

    for _ in range(2):
        html = Client().get(seed.get_url()).content.decode()
        assert f"<h1>{seed.title}</h1>" in html
        assert DRAFT not in html
    listing = Client().get(in_language(tree["index"], lang).get_url()).content.decode()
    assert seed.title in listing and DRAFT not in listing


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_previewed_home_and_listing_edits_are_not_served_to_anonymous_visitors(admin_client, tree, lang):
    home = in_language(tree["home"], lang)
    data = edit_form_data(admin_client, home, title=f"{DRAFT} home", lead=f"{DRAFT} lead")
    assert DRAFT in preview(admin_client, home, data)
    index = in_language(tree["index"], lang)
    data = edit_form_data(admin_client, index, title=f"{DRAFT} index", intro=f"{DRAFT} intro")
    assert DRAFT in preview(admin_client, index, data)

    for url in (home.get_url(), index.get_url(), in_language(tree["seeds"][1], lang).get_url()):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert DRAFT not in response.content.decode(), url
