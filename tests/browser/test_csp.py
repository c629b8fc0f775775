"""The Content-Security-Policy in a real browser: the public site, the member area and
the Wagtail admin work under it; the browser reports no violation on any of them."""

import pytest

from tests.accounts.helpers import give_mfa, login_browser, verify_email
from tests.membership.factories import UserFactory
from tests.site.public_site import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_page(page):
    """The page, with every console message about the policy collected."""
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.csp_violations = violations
    return page


def _visit(page, path: str):
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return response


def test_public_pages_run_under_the_policy(csp_page):
    site = build_site(seeds=1)
    for path in ("/ja/", "/en/", "/ja/accounts/login/", site["seeds"][0].url):
        response = _visit(csp_page, path)
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    # The seed page's inquiry form keeps its honeypot field off screen without an inline style.
    assert csp_page.locator("input[name=website]").bounding_box()["x"] < 0
    assert csp_page.csp_violations == []
    assert csp_page.console_errors == []


def test_the_member_area_runs_under_the_policy(csp_page, live_server, demo_home):
    member = UserFactory(email="taro@example.co.jp")
    verify_email(member)
    login_browser(csp_page, member, live_server.url)
    for path in ("/ja/members/", "/en/members/", "/ja/accounts/email/", "/ja/accounts/2fa/"):
        _visit(csp_page, path)
    assert csp_page.csp_violations == []
    assert csp_page.console_errors == []


def test_the_wagtail_admin_runs_under_the_policy(csp_page, live_server, demo_home):
    staff = UserFactory(email="cm@kyoso.example.jp", is_staff=True, is_superuser=True)
    give_mfa(staff)
    login_browser(csp_page, staff, live_server.url)
    for path in ("/admin/", "/admin/pages/", "/admin/images/", "/django-admin/auth/group/add/"):
        _visit(csp_page, path)
    # The page editor, the admin's heaviest screen: its scripts ran and drew the title field.
    _visit(csp_page, f"/admin/pages/{demo_home.pk}/edit/")
    title = csp_page.locator("#id_title")
    assert title.input_value() == demo_home.title
    title.fill("共創 オープンイノベーション機構（編集中）")
    assert csp_page.csp_violations == []
