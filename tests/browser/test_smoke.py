"""The home page in a real browser: both languages, the switcher, accessibility."""

import pytest

from tests.browser.conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_in_both_languages_with_switcher(page, demo_home):
    page.goto("/ja/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.locator("h1").inner_text() == "共創 オープンイノベーション機構"
    assert axe_serious_violations(page) == []

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Kyoso Open Innovation Organization"
    assert axe_serious_violations(page) == []

    page.get_by_role("link", name="日本語").click()
    page.wait_for_url("**/ja/")
    assert page.locator("h1").inner_text() == "共創 オープンイノベーション機構"
    assert page.console_errors == []


def test_language_switcher_on_a_non_page_view(page, demo_home):
    page.goto("/ja/accounts/login/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.console_errors == []
