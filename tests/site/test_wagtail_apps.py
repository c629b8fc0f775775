"""Wagtail's image, document, snippet, locale and redirect apps run through
kyoso_site.wagtail_apps (without the v3 API, to keep web workers small): the
admin still does what staff do with them, and the copies of Wagtail's ready()
are checked against the installed Wagtail."""

import hashlib
import inspect

import pytest
from django.apps import apps
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models.reference_index import ReferenceIndex

from kyoso_site import wagtail_apps
from tests.fresh_process import run_in_fresh_process

from .public_site import build_site


@pytest.mark.parametrize("upstream", list(wagtail_apps.UPSTREAM_READY), ids=lambda c: c.__name__)
def test_the_copied_ready_matches_the_installed_wagtail(upstream):
    """A Wagtail upgrade that changes one of these ready() methods fails here:
    compare it with the copy in kyoso_site/wagtail_apps.py, then update the digest."""
    digest = hashlib.sha256(inspect.getsource(upstream.ready).encode()).hexdigest()
    assert digest == wagtail_apps.UPSTREAM_READY[upstream]


def test_the_apps_are_wagtails_under_their_own_labels():
    for label, config in [
        ("wagtailimages", wagtail_apps.ImagesConfig),
        ("wagtaildocs", wagtail_apps.DocumentsConfig),
        ("wagtailsnippets", wagtail_apps.SnippetsConfig),
        ("wagtaillocales", wagtail_apps.LocalesConfig),
        ("wagtailredirects", wagtail_apps.RedirectsConfig),
    ]:
        assert type(apps.get_app_config(label)) is config


def test_a_web_process_loads_neither_the_v3_api_nor_icalendar():
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "print(sorted(m for m in ('ninja', 'wagtail.api.v3.api', 'icalendar') if m in sys.modules))"
    )
    assert run_in_fresh_process(code) == ["[]"]


@pytest.mark.django_db
def test_staff_choosers_and_admin_screens_work(admin_client):
    site = build_site(seeds=1)
    seed = site["seeds"][0]
    for url in [
        "/admin/images/chooser/",
        "/admin/documents/chooser/",
        "/admin/snippets/choose/people/person/",
        "/admin/snippets/choose/seeds/researchfield/",
        "/admin/locales/",
        "/admin/redirects/",
        f"/admin/pages/{seed.pk}/edit/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    # The sidebar's page explorer reads Wagtail's admin API (v2), which stays.
    explorer = admin_client.get(f"/admin/api/main/pages/?child_of={site['home'].pk}&for_explorer=1")
    assert explorer.status_code == 200
    assert seed.get_parent().title in {item["title"] for item in explorer.json()["items"]}


@pytest.mark.django_db
def test_a_persons_photo_field_is_the_image_chooser(admin_client):
    build_site(seeds=0)
    response = admin_client.get("/admin/snippets/people/person/add/")
    assert response.status_code == 200
    assert 'data-chooser-url="/admin/images/chooser/"' in response.text


@pytest.mark.django_db
def test_images_and_documents_are_in_the_reference_index():
    """The admin's "Usage" counts of images and documents come from it."""
    assert ReferenceIndex.is_indexed(get_image_model())
    assert ReferenceIndex.is_indexed(get_document_model())


@pytest.mark.django_db
def test_changing_a_slug_leaves_a_redirect_from_the_old_url(client, django_capture_on_commit_callbacks):
    site = build_site(seeds=1)
    seed = site["seeds"][0].specific
    old_url = seed.url
    seed.slug = "renamed-seed"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals the change on commit
        seed.save_revision().publish()
    assert Redirect.objects.filter(redirect_page=seed).exists()
    response = client.get(old_url)
    assert response.status_code in {301, 302}
    assert response["Location"].endswith("/seeds/renamed-seed/")
