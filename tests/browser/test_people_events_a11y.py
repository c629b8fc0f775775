"""axe-core finds no serious or critical violations on the people pages (with
their portraits), an event page, and a page shown in Japanese at an English
URL; the portraits load and the language switcher leads to the same profile."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from people.models import Person

from demo.photos import ensure_portraits
from tests.browser.conftest import axe_serious_violations
from tests.site.public_site import build_site, locales, make_seed, translate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serve_media(page, root: Path) -> None:
    # The live server serves static files only; in production a web server or
    # object storage serves media. Here the test hands the files over itself.
    def handle(route):
        name = route.request.url.split("/media/", 1)[1]
        path = root / name
        if path.is_file():
            route.fulfill(status=200, body=path.read_bytes(), content_type="image/png")
        else:
            route.fulfill(status=404, body="")

    page.route("**/media/**", handle)


def test_axe_on_people_event_and_fallback_pages(page, live_server, settings, tmp_path):
    from events.models import EventIndexPage, EventPage

    settings.MEDIA_ROOT = tmp_path
    tree = build_site(seeds=1)
    ensure_portraits(list(Person.objects.all()))
    seed = tree["seeds"][0]
    make_seed(
        tree["index"],
        5,
        seed.research_fields.first(),
        seed.department,
        tree["researcher"],
        tree["cm"],
        translate_seed=False,
    )
    events = tree["home"].add_child(instance=EventIndexPage(title="イベント", slug="events"))
    events.save_revision().publish()
    translate(events, locales()["en"], title="Events")
    start = datetime(2099, 6, 5, 13, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    event = events.add_child(
        instance=EventPage(title="交流会", slug="mixer", start=start, end=start.replace(hour=15), venue="共創ホール")
    )
    event.save_revision().publish()
    _serve_media(page, tmp_path)

    problems = {}
    for url in ["/ja/people/", "/en/people/", "/en/people/yamano-taro/", "/ja/events/mixer/", "/en/seeds/seed-005/"]:
        page.goto(live_server.url + url)
        found = axe_serious_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
    assert page.console_errors == []

    # The portrait is really there, described in the page's language.
    page.goto(live_server.url + "/en/people/yamano-taro/")
    portrait = page.get_by_role("img", name="Illustrated portrait of Taro Yamano (a fictional person)")
    assert portrait.evaluate("img => img.complete && img.naturalWidth") == 240
    # The switcher leads to the same person's Japanese profile.
    page.get_by_role("link", name="日本語").click()
    assert page.url.endswith("/ja/people/yamano-taro/")
    assert page.get_by_role("heading", level=1).inner_text() == "山野 太郎"
    # A seed not yet in English: the notice, and the switcher back to Japanese.
    page.goto(live_server.url + "/en/seeds/seed-005/")
    assert page.get_by_role("note").inner_text().startswith("This page is not yet available in English")
    page.get_by_role("link", name="日本語").click()
    assert page.url.endswith("/ja/seeds/seed-005/")
