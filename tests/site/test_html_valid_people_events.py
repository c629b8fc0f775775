"""The Nu HTML checker finds no errors on the people pages (with portraits),
an event page, and pages shown in Japanese at an English URL."""

import pytest
from people.models import Person

from demo.photos import ensure_portraits
from tests.html_check import vnu_errors

from .public_site import build_site, locales, make_person, make_seed, translate

pytestmark = pytest.mark.django_db


def test_people_event_and_fallback_pages_have_no_html_errors(client, settings, tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from events.models import EventIndexPage, EventPage

    settings.MEDIA_ROOT = tmp_path
    site_tree = build_site(seeds=1)
    events = site_tree["home"].add_child(instance=EventIndexPage(title="イベント", slug="events"))
    events.save_revision().publish()
    translate(events, locales()["en"], title="Events")
    make_person("kawa-hanako", family_name="川", given_name="花子", position_en="", career="民間企業を経て着任。")
    ensure_portraits(list(Person.objects.all()))
    seed = site_tree["seeds"][0]
    make_seed(
        site_tree["index"],
        9,
        seed.research_fields.first(),
        seed.department,
        site_tree["researcher"],
        site_tree["cm"],
        translate_seed=False,
    )
    start = datetime(2099, 6, 5, 13, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    event = events.add_child(
        instance=EventPage(title="交流会", slug="mixer", start=start, end=start.replace(hour=15), venue="共創ホール")
    )
    event.save_revision().publish()
    pages = {}
    for url in [
        "/en/people/",
        "/en/people/yamano-taro/",
        "/en/people/kawa-hanako/",
        "/en/seeds/seed-009/",
        "/ja/events/mixer/",
        "/en/events/mixer/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    assert vnu_errors(pages) == {url: [] for url in pages}
