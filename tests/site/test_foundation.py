"""The foundation: both languages, the switcher, health check, deploy check."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_root_redirects_to_japanese(client, demo_home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="")
    assert response.status_code == 302
    assert response["Location"] == "/ja/"


@pytest.mark.django_db
def test_root_honours_english_browser(client, demo_home):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Location"] == "/en/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "title", "other", "other_url"),
    [
        ("ja", "共創 オープンイノベーション機構", "en", "/en/"),
        ("en", "Kyoso Open Innovation Organization", "ja", "/ja/"),
    ],
)
def test_home_in_each_language(client, demo_home, lang, title, other, other_url):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    # The switcher links to the same page in the other language.
    assert f'href="{other_url}" hreflang="{other}"' in html


@pytest.mark.django_db
def test_interface_strings_are_translated(client, demo_home):
    ja = client.get("/ja/").content.decode()
    en = client.get("/en/").content.decode()
    assert "ログイン" in ja and "Log in" not in ja
    assert "Log in" in en


@pytest.mark.django_db
def test_switcher_keeps_non_page_urls(client, demo_home):
    html = client.get("/ja/accounts/login/").content.decode()
    assert 'href="/en/accounts/login/" hreflang="en"' in html


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_reports_a_dead_database(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_home_page_query_count_is_small(client, demo_home):
    client.get("/ja/")  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ja/").status_code == 200
    assert len(queries) <= 12


def test_check_deploy_has_no_warnings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.production",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-value-0123456789",
        "ALLOWED_HOSTS": "kyoso.example.jp",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "SITE_BASE_URL": "https://kyoso.example.jp",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_default_secret(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.production"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_suite_runs_on_the_configured_database():
    # make test runs the suite twice; this proves the second run is PostgreSQL.
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
    if expected == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
        # The in-memory test database cannot use WAL; a file database must.
        assert mode in {"wal", "memory"}


@pytest.mark.django_db
def test_demo_admin_logs_in_through_allauth_and_reaches_wagtail(client, demo_home, tmp_path, settings):
    from django.core.management import call_command

    settings.BASE_DIR = tmp_path
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    password = (tmp_path / "var" / "demo-admin.txt").read_text().strip()
    assert password in out.getvalue()  # the printed login is the real one

    assert client.get("/admin/").status_code == 302  # anonymous: sent to log in
    response = client.post("/ja/accounts/login/", {"login": "admin@kyoso.example.jp", "password": password})
    assert response.status_code == 302
    # Staff must set up two-factor authentication before any admin screen.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response["Location"]
    from django.contrib.auth import get_user_model

    from tests.accounts.helpers import give_mfa

    give_mfa(get_user_model().objects.get(email="admin@kyoso.example.jp"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "wagtail" in response.content.decode().lower()

    # A second run keeps the account and its password.
    call_command("ensure_admin", stdout=io.StringIO())
    assert (tmp_path / "var" / "demo-admin.txt").read_text().strip() == password
