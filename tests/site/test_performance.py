"""A constant, small number of SQL queries on the seed list and detail,
whatever the number of seeds or the page size (speed itself is in bench/)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .public_site import build_site, make_seed

pytestmark = pytest.mark.django_db
# Wagtail's own routing and view-restriction check take up to nine on a seed
# (site, locale, each page on the path and its specific row, the restrictions);
# the site's chrome and every cached fragment come in one cache read.
MAX_QUERIES = 12


def count(client, url) -> int:
    client.get(url)  # warm the caches a running site has warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_constant_and_small(client):
    tree = build_site(seeds=3)
    urls = [
        "/ja/seeds/",
        "/en/seeds/?field=materials&sort=title",
        "/ja/seeds/?q=材料&per_page=48",
        "/ja/seeds/seed-000/",
        "/en/seeds/seed-001/",
    ]
    small = {url: count(client, url) for url in urls}
    seed = tree["seeds"][0]
    extra = [
        make_seed(tree["index"], i, seed.research_fields.first(), seed.department, tree["researcher"], tree["cm"])
        for i in range(3, 30)
    ]
    extra[0].related_seeds.set(list(tree["seeds"]))
    extra[0].save_revision().publish()
    large = {url: count(client, url) for url in urls}
    assert small == large, (small, large)
    assert max(large.values()) <= MAX_QUERIES, large
    # Page size does not change the count either.
    assert count(client, "/ja/seeds/?per_page=5") == count(client, "/ja/seeds/?per_page=48")
    assert count(client, "/ja/seeds/seed-003/") <= MAX_QUERIES


def test_seed_with_a_figure_stays_within_the_query_budget(client, settings, tmp_path):
    from demo.figures import ensure_seed_figure, figure_text

    settings.MEDIA_ROOT = tmp_path
    tree = build_site(seeds=1)
    seed = tree["seeds"][0]
    image = ensure_seed_figure(key="perf", kind="bars", title_ja="新材料", title_en="New materials")
    words = figure_text(kind="bars", title_ja="新材料", title_en="New materials")
    with_figure = make_seed(
        tree["index"],
        7,
        seed.research_fields.first(),
        seed.department,
        tree["researcher"],
        tree["cm"],
        body=[
            ("text", "<p>本文</p>"),
            ("image", {"image": image, "alt": words.alt_ja, "caption": words.caption_ja}),
        ],
    )
    plain = count(client, "/ja/seeds/seed-000/")
    figured = count(client, f"/ja/seeds/{with_figure.slug}/")
    page = client.get(f"/ja/seeds/{with_figure.slug}/").content.decode()
    assert f'alt="{words.alt_ja}"' in page and words.caption_ja in page
    # The image row is the one query a figure adds; its rendition comes from the cache.
    assert figured <= min(plain + 1, MAX_QUERIES), (plain, figured)
