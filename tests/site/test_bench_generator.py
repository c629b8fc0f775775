"""bench/generate_seeds.py writes pages in bulk; they must still be real,
live, routable seed pages in Japanese and English, with a sound page tree."""

import importlib.util
import io
from pathlib import Path

import pytest
from seeds.models import SeedPage
from wagtail.models import Locale, Page

from demo.pages import ensure_people, ensure_taxonomies

from .public_site import build_site

pytestmark = pytest.mark.django_db
GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "generate_seeds.py"


def generator():
    spec = importlib.util.spec_from_file_location("bench_generate_seeds", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_seeds_are_live_pages_in_both_languages(client):
    ensure_taxonomies()
    ensure_people()
    build_site(seeds=1)
    gen = generator()
    assert gen.generate(target=4, out=io.StringIO()) == 3
    assert gen.generate(target=5, out=io.StringIO()) == 1  # a second run tops up without clashing
    assert all(not problems for problems in Page.find_problems())

    ja, en = (Locale.objects.get(language_code=code) for code in ("ja", "en"))
    made = SeedPage.objects.filter(slug__startswith="bench-", locale=ja).order_by("slug")
    assert made.count() == 4
    for seed in made:
        english = seed.get_translation(en)
        for page, lang in ((seed, "ja"), (english, "en")):
            assert page.live and page.live_revision_id and page.url_path.endswith(f"/{seed.slug}/")
            assert page.get_latest_revision_as_object().title == page.title
            html = client.get(page.get_url()).content.decode()
            assert f"<h1>{page.title}</h1>" in html
            assert f'hreflang="{"en" if lang == "ja" else "ja"}"' in html
            assert page.research_fields.exists() and page.researchers.exists()
    listing = client.get("/en/seeds/").content.decode()
    assert "5 seeds" in listing
    assert made.last().get_translation(en).title in listing
