"""At 390 px wide (a phone): no page scrolls sideways, the header is one
short row with a menu button, the seed list's first result is near the top
(the filters fold away behind a <details>), and axe-core stays clean."""

import io

import pytest
from django.core.cache import cache

from tests.browser.conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
PAGES = ["/ja/", "/ja/seeds/", "/ja/about/", "/ja/about/structure/", "/en/about/structure/"]


@pytest.fixture
def phone(browser, live_server, settings, tmp_path):
    from demo import pages

    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    pages.load(io.StringIO())
    context = browser.new_context(
        base_url=live_server.url, locale="ja-JP", viewport={"width": WIDTH, "height": 844}, device_scale_factor=1
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.console_errors = errors
    yield page
    context.close()


def test_phone_width_layout(phone):
    from seeds.models import SeedPage

    page = phone
    seed = SeedPage.objects.live().filter(locale__language_code="ja").order_by("path").first()
    measured, problems = {}, {}
    for url in [*PAGES, seed.get_url()]:
        page.goto(url)
        measured[url] = {
            "scroll_width": page.evaluate("document.scrollingElement.scrollWidth"),
            "header": page.locator(".site-header").bounding_box()["height"],
        }
        found = axe_serious_violations(page)
        if found:
            problems[url] = found
    assert {url: m["scroll_width"] for url, m in measured.items() if m["scroll_width"] > WIDTH} == {}
    assert {url: m["header"] for url, m in measured.items() if m["header"] >= 100} == {}
    assert problems == {}

    # The menu button opens the navigation and the language switcher.
    page.goto("/ja/")
    nav = page.locator(".main-nav")
    assert not nav.is_visible()
    page.get_by_role("button", name="メニュー").click()
    assert nav.get_by_role("link", name="研究シーズ").is_visible()
    assert page.get_by_role("button", name="メニュー").get_attribute("aria-expanded") == "true"

    page.goto("/ja/seeds/")
    first = page.locator(".seed-card").first.bounding_box()
    assert first["y"] < 1100, first
    page.locator(".filters summary").click()
    assert page.get_by_label("研究分野").is_visible()
    assert page.console_errors == []


def test_japanese_headings_break_between_phrases(phone):
    """オープンイノベーション is not split across lines (word-break: auto-phrase)."""
    page = phone
    page.goto("/ja/")
    broken = page.evaluate(
        """() => {
        const bad = [];
        for (const h of document.querySelectorAll("h1, h2, h3")) {
          const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent;
            const word = text.indexOf("オープンイノベーション");
            if (word < 0) continue;
            const range = document.createRange();
            range.setStart(node, word); range.setEnd(node, word + "オープンイノベーション".length);
            if (range.getClientRects().length > 1) bad.push(h.textContent.trim());
          }
        }
        return bad;
      }"""
    )
    assert broken == []
