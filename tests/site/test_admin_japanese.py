"""The Wagtail admin in Japanese for Japanese staff, whatever their browser asks
for: Wagtail's own screens (with the strings Wagtail's ja catalogue lacks,
from site/wagtail_locale) and ours (column headers from our models)."""

import json
import re

import pytest
from django.utils import translation

from membership import services
from tests.accounts.helpers import give_mfa
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def staff(email="kanri@kyoso.example.jp"):
    user = UserFactory(email=email, is_staff=True, is_superuser=True)
    give_mfa(user)
    return user


def test_japanese_staff_get_the_japanese_admin_from_an_english_browser(client):
    from demo.home import ensure_home

    ensure_home()
    owner = UserFactory(email="applicant@example.co.jp")
    org = services.organization_register(organization=OrganizationFactory.build(), owner=owner)
    services.membership_apply(organization=org, tier=TierFactory(), by=owner, language="ja")
    with translation.override("ja"):  # as `createsuperuser` or a Japanese page would make the account
        user = staff()
    client.force_login(user)

    dashboard = client.get("/admin/", **ENGLISH_BROWSER).content.decode()
    assert re.search(r'<html[^>]* lang="ja"', dashboard)
    assert re.search(r"\d+ ページ", dashboard) and " Pages " not in dashboard

    queue = client.get("/admin/membership_application/", **ENGLISH_BROWSER).content.decode()
    headers = [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", queue, re.S)]
    assert "組織" in " ".join(headers) and "Organization" not in " ".join(headers), headers
    assert "Tier" not in " ".join(headers), headers
    assert 'placeholder="すべてのページを検索…"' in dashboard

    search = client.get("/admin/pages/search/", {"q": "存在しない語"}, **ENGLISH_BROWSER).content.decode()
    assert "に一致するページはありません" in search and "Sorry, no pages match" not in search

    catalog = client.get("/admin/jsi18n/", **ENGLISH_BROWSER).content.decode()
    assert "すべて折りたたむ" in catalog or json.dumps("すべて折りたたむ")[1:-1] in catalog


def test_staff_made_in_english_get_the_english_admin(client):
    with translation.override("en"):
        user = staff("english@kyoso.example.jp")
    client.force_login(user)
    dashboard = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert re.search(r'<html[^>]* lang="en"', dashboard)
