"""One public base URL (SITE_BASE_URL): every absolute link the site writes uses it, the
sitemaps' and the .ics files' too (they come from the Wagtail Site, whose hostname and port
follow it), whatever host the request came in on."""

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import icalendar
import pytest
from django.core import mail
from wagtail.models import Site

from demo.home import ensure_home
from kyoso_site.sites import align_default_site
from tests.events.conftest import JST, add_event
from tests.events.conftest import translate as translate_page
from tests.fresh_process import run_in_fresh_process

from .public_site import build_site

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.2:8123"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served_elsewhere(settings):
    """The site as base.py configures it for SITE_BASE_URL=http://127.0.0.2:8123."""
    settings.SITE_BASE_URL = settings.WAGTAILADMIN_BASE_URL = BASE
    return build_site(seeds=1)


def _absolute_links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def test_the_sitemaps_and_robots_txt_list_the_public_address(client, served_elsewhere):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.2", 8123, BASE)
    for language in ("ja", "en"):
        locations = re.findall(r"<loc>([^<]+)</loc>", client.get(f"/{language}/sitemap.xml").text)
        assert f"{BASE}/{language}/seeds/seed-000/" in locations
        assert f"{BASE}/{language}/people/yamano-taro/" in locations
        assert all(location.startswith(f"{BASE}/{language}/") for location in locations), locations
    index = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").text)
    assert index == [f"{BASE}/ja/sitemap.xml", f"{BASE}/en/sitemap.xml"]
    assert f"Sitemap: {BASE}/sitemap.xml" in client.get("/robots.txt").text.splitlines()


@pytest.mark.parametrize("path", ["/ja/seeds/seed-000/", "/en/", "/ja/people/yamano-taro/"])
def test_canonical_hreflang_og_url_and_json_ld_use_the_public_address(client, served_elsewhere, path):
    html = client.get(path, HTTP_HOST="localhost").text
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical == BASE + path
    assert re.search(r'<meta property="og:url" content="([^"]+)">', html).group(1) == canonical
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert set(alternates) == {"ja", "en", "x-default"}
    assert all(url.startswith(BASE + "/") for url in alternates.values()), alternates
    head = html.split("</head>")[0]
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    assert data["url"].startswith(BASE + "/")
    assert "localhost" not in head and "127.0.0.1" not in head


def test_an_event_ics_and_its_confirmation_mail_link_to_the_public_address(
    client, served_elsewhere, django_capture_on_commit_callbacks
):
    from events.models import EventIndexPage

    home = served_elsewhere["home"]
    index = home.add_child(instance=EventIndexPage(title="イベント・セミナー", slug="events"))
    index.save_revision().publish()
    translate_page(index, "en", title="Events and seminars")
    add_event(index, slug="matching-day", title="マッチングデー", start=datetime(2099, 6, 5, 13, 0, tzinfo=JST))
    event_url = f"{BASE}/ja/events/matching-day/"
    (vevent,) = icalendar.Calendar.from_ical(client.get("/ja/events/matching-day/ics/").content).walk("VEVENT")
    assert str(vevent["URL"]) == event_url
    registration = {"name": "山田 花子", "email": "hanako@example.co.jp", "consent": "on", "website": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ja/events/matching-day/", registration)
    (message,) = [m for m in mail.outbox if m.to == ["hanako@example.co.jp"]]
    assert event_url in message.body
    (attached,) = icalendar.Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert str(attached["URL"]) == event_url
    assert all(link.startswith(BASE + "/") for link in _absolute_links(message.body))


def test_inquiry_mails_link_to_the_public_address(client, served_elsewhere, django_capture_on_commit_callbacks):
    inquiry = {
        "inquiry_form": "seed-inquiry",
        "company": "共創化学株式会社",
        "name": "山田 花子",
        "email": "hanako@example.co.jp",
        "message": "共同研究について伺いたく存じます。",
        "consent": "on",
        "website": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ja/seeds/seed-000/", inquiry)
    confirmation = next(m for m in mail.outbox if m.to == ["hanako@example.co.jp"])
    notification = next(m for m in mail.outbox if m.to != ["hanako@example.co.jp"])
    assert f"{BASE}/ja/seeds/seed-000/" in confirmation.body
    assert f"{BASE}/ja/seeds/seed-000/" in notification.body
    assert f"{BASE}/admin/" in notification.body
    for message in (confirmation, notification):
        assert all(link.startswith(BASE + "/") for link in _absolute_links(message.body)), message.body


def test_account_mails_link_to_the_public_address(client, served_elsewhere):
    from tests.accounts.helpers import verify_email
    from tests.membership.factories import UserFactory

    password = "Tsuyoi-Pass-2026"  # noqa: S105
    signup = {"email": "new@example.co.jp", "password1": password, "password2": password}
    client.post("/ja/accounts/signup/", signup, HTTP_HOST="localhost")
    verify_email(UserFactory(email="jiro@example.co.jp"))
    client.post("/ja/accounts/password/reset/", {"email": "jiro@example.co.jp"}, HTTP_HOST="localhost")
    verification, reset = mail.outbox
    assert f"{BASE}/ja/accounts/confirm-email/" in verification.body
    assert f"{BASE}/ja/accounts/password/reset/key/" in reset.body
    for message in (verification, reset):
        assert all(link.startswith(BASE + "/") for link in _absolute_links(message.body)), message.body


def test_load_demo_moves_the_site_to_a_new_address(settings, served_elsewhere):
    # `KYOSO_ADDR=127.0.0.1:8099 make run` on a database first served elsewhere: load_demo's
    # first step (the home pages) moves the Site.
    settings.SITE_BASE_URL = "http://127.0.0.1:8099"
    ensure_home()
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8099"
    assert site.root_page.specific.get_full_url() == "http://127.0.0.1:8099/ja/"
    assert align_default_site() is False  # already there: nothing to change


SETTINGS = (
    "import django; django.setup(); from django.conf import settings\n"
    "print(settings.SITE_BASE_URL, settings.WAGTAILADMIN_BASE_URL)\n"
    "print(*settings.ALLOWED_HOSTS)\n"
    "print(*settings.CSRF_TRUSTED_ORIGINS)\n"
)


@pytest.mark.parametrize(
    ("environ", "base", "host"),
    [
        ({"KYOSO_ADDR": "127.0.0.3:8765"}, "http://127.0.0.3:8765", "127.0.0.3"),  # make run elsewhere
        ({}, "http://127.0.0.1:8000", "127.0.0.1"),
        (
            {"KYOSO_ADDR": "127.0.0.3:8765", "SITE_BASE_URL": "https://oi.example.ac.jp/"},
            "https://oi.example.ac.jp",
            "oi.example.ac.jp",
        ),
    ],
)
def test_make_runs_address_is_the_public_base_url_an_allowed_host_and_a_trusted_origin(
    monkeypatch, environ, base, host
):
    for name in ("KYOSO_ADDR", "SITE_BASE_URL", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    urls, hosts, origins = run_in_fresh_process(SETTINGS)
    assert urls == f"{base} {base}"
    assert host in hosts.split() and "localhost" in hosts.split()
    assert origins.split() == [base]


@pytest.mark.parametrize(
    "value", ["https://oi.example.ac.jp:8443", "http://oi.example.ac.jp/kyoso", "oi.example.ac.jp"]
)
def test_a_base_url_the_wagtail_site_cannot_serve_is_refused_at_start(monkeypatch, value):
    monkeypatch.setenv("SITE_BASE_URL", value)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.test"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SITE_BASE_URL" in result.stderr
