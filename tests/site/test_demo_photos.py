"""Generated portraits for the demo people: stored as Wagtail images with
alternative text in both languages, shown on cards and profiles, made once."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image, Rendition

from demo.photos import ensure_portraits, portrait_png

from .public_site import build_site, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_portrait_is_a_square_picture_and_the_same_for_the_same_person():
    first = portrait_png(key="yamano-taro", role="researcher")
    assert first == portrait_png(key="yamano-taro", role="researcher")
    assert first != portrait_png(key="kawa-hanako", role="researcher")
    with PILImage.open(__import__("io").BytesIO(first)) as picture:
        assert picture.size == (480, 480)
        # Flat colours, not a photograph: a handful of colours cover almost every pixel.
        colours = sorted(picture.convert("RGB").getcolors(480 * 480), reverse=True)
        assert sum(n for n, _ in colours[:8]) > 0.9 * 480 * 480


def test_portraits_are_made_once_with_alt_text_and_renditions():
    people = [make_person(), make_person("kawa-hanako", given_name_romaji="Hanako", family_name_romaji="Kawa")]
    assert ensure_portraits(people) == 2
    assert ensure_portraits(people) == 0  # a second run adds nothing
    assert Image.objects.count() == 2
    person = people[0]
    person.refresh_from_db()
    assert person.photo is not None
    assert person.photo_alt == "山野 太郎の肖像イラスト（架空の人物）"
    assert person.photo_alt_en == "Illustrated portrait of Taro Yamano (a fictional person)"
    assert set(Rendition.objects.filter(image=person.photo).values_list("filter_spec", flat=True)) == {
        "fill-128x128",
        "fill-240x240",
    }


def test_profile_shows_the_portrait_with_alt_text_in_the_page_language(client):
    tree = build_site(seeds=1)
    ensure_portraits([tree["researcher"], tree["cm"]])
    ja = client.get("/ja/people/yamano-taro/").content.decode()
    assert re.search(r'<img class="avatar" src="[^"]+\.png" width="240" height="240" alt="山野 太郎の肖像イラスト', ja)
    en = client.get("/en/people/yamano-taro/").content.decode()
    assert 'alt="Illustrated portrait of Taro Yamano (a fictional person)"' in en
    base = re.escape(settings.SITE_BASE_URL.rstrip("/"))
    assert re.search(rf'"image": "{base}/media/[^"]+\.png"', en)  # schema.org Person, on the public base URL
    # On the list the name sits next to the picture: the picture is decorative there.
    index = client.get("/en/people/").content.decode()
    assert re.search(r'<img class="avatar" src="[^"]+" width="128" height="128" alt="">', index)
    assert "avatar-initials" not in index


def test_people_list_query_count_does_not_grow_with_photos(client):
    tree = build_site(seeds=1)
    ensure_portraits([tree["researcher"], tree["cm"]])

    def count() -> int:
        client.get("/ja/people/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/ja/people/").status_code == 200
        return len(queries)

    few = count()
    ensure_portraits([make_person(f"extra-{i}") for i in range(6)])
    assert count() == few
