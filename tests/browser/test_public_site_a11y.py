"""axe-core finds no serious or critical violations on home, the seed list
and a seed page in both languages; the listing's filter works without JS."""

import pytest

from tests.browser.conftest import axe_serious_violations
from tests.site.public_site import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_axe_on_home_seed_list_and_seed_page_in_both_languages(page, live_server):
    build_site(seeds=3)
    problems = {}
    for url in ["/ja/", "/en/", "/ja/seeds/", "/en/seeds/", "/ja/seeds/seed-000/", "/en/seeds/seed-000/"]:
        page.goto(live_server.url + url)
        found = axe_serious_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
    assert page.console_errors == []


def test_filter_form_works_without_javascript(browser, live_server):
    build_site(seeds=4, translate_seeds=False)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="ja-JP")
    page = context.new_page()
    try:
        page.goto("/ja/seeds/")
        page.locator(".filters summary").click()  # <details> opens without JavaScript
        page.get_by_label("研究分野").select_option("life-science")
        page.get_by_role("button", name="結果を表示").click()
        assert "field=life-science" in page.url
        titles = page.locator(".seed-card-title").all_inner_texts()
        assert titles and all("細胞診断" in t for t in titles)
        assert page.get_by_text("2件").first.is_visible()
    finally:
        context.close()
