"""The Nu HTML checker finds no errors on the main public pages."""

import pytest

from tests.html_check import vnu_errors

from .public_site import build_site

pytestmark = pytest.mark.django_db

PAGES = ["/ja/", "/en/", "/ja/seeds/", "/en/seeds/?field=materials", "/ja/seeds/seed-000/", "/en/seeds/seed-000/"]


@pytest.fixture
def site_tree(db):
    tree = build_site(seeds=3)
    tree["seeds"][0].related_seeds.set(tree["seeds"][1:])
    tree["seeds"][0].save_revision().publish()
    return tree


def test_main_pages_have_no_html_errors(client, site_tree):
    pages = {}
    for url in PAGES + ["/ja/people/", "/ja/people/yamano-taro/", "/ja/about/structure/", "/en/about/cost-rules/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    assert vnu_errors(pages) == {url: [] for url in pages}
