"""The demo as `make run` serves it (scripts/run.sh: manage.py's default settings and
runserver): DEBUG off unless DEBUG=1, so no error page shows the settings, the
environment, a posted password or the URL patterns; static files and uploaded images
still served. Its threads on a SQLite file are also where concurrent sign-ups meet
on SQLite (tests/accounts/test_signup_race.py tries them on PostgreSQL).

The server has its own SQLite database, so this runs once per suite (in the SQLite pass)."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.web_server import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the demo server has its own SQLite database: tried once, in the SQLite pass",
)


def _demo_env(**extra) -> dict:
    """The environment of `make run`: manage.py picks its own default settings."""
    env = {**os.environ, **extra}
    for name in ("DJANGO_SETTINGS_MODULE", "DEBUG"):
        if name not in extra:
            env.pop(name, None)
    return env


@pytest.mark.parametrize(("value", "debug"), [(None, False), ("", False), ("0", False), ("1", True)])
def test_the_demo_settings_have_debug_off_unless_debug_1(value, debug):
    extra = {} if value is None else {"DEBUG": value}
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "--no-imports", "-c", code],
        cwd=ROOT,
        env=_demo_env(**extra),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(debug)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (http://127.0.0.1)
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("demo")
    media = base / "media"
    (media / "images").mkdir(parents=True)
    (media / "images" / "portrait.max-800x600.png").write_bytes(b"\x89PNG\r\n\x1a\nportrait")
    (media / "documents").mkdir()
    (media / "documents" / "members-only.pdf").write_bytes(b"%PDF-1.4 members only")
    port = free_port()
    # As `KYOSO_ADDR=127.0.0.1:<port> make run` starts it (scripts/run.sh): no SITE_BASE_URL.
    env = _demo_env(
        DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}", MEDIA_ROOT=str(media), KYOSO_ADDR=f"127.0.0.1:{port}"
    )
    env.pop("SITE_BASE_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-3000:]
    with open(base / "server.log", "w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=5).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield SimpleNamespace(url=url, env=env)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_the_links_name_the_address_served(demo_server):
    """KYOSO_ADDR is the public address unless SITE_BASE_URL is set: the sitemaps and
    robots.txt name the port served (migrate moved Wagtail's Site there), not localhost or 8000."""
    status, robots = _get(demo_server.url + "/robots.txt")
    assert status == 200 and f"Sitemap: {demo_server.url}/sitemap.xml" in robots.splitlines()
    assert re.findall(r"<loc>([^<]+)</loc>", _get(demo_server.url + "/sitemap.xml")[1]) == [
        f"{demo_server.url}/ja/sitemap.xml",
        f"{demo_server.url}/en/sitemap.xml",
    ]
    status, sitemap = _get(demo_server.url + "/ja/sitemap.xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert status == 200 and locations, sitemap
    assert all(location.startswith(demo_server.url + "/ja/") for location in locations), locations


@pytest.mark.parametrize("path", ["/ja/no-such-page/", "/no-such-file.txt"])
def test_a_404_is_the_sites_own_page_not_the_url_list(demo_server, path):
    status, page = _get(demo_server.url + path)
    assert status == 404
    assert "お探しのページは見つかりませんでした。" in page and 'class="site-header"' in page
    # DEBUG's page: "Using the URLconf defined in kyoso_site.urls, Django tried these URL patterns".
    assert "URLconf" not in page and "django-admin/" not in page


def test_static_files_and_uploaded_images_are_served_but_not_documents(demo_server):
    status, css = _get(demo_server.url + "/static/kyoso/kyoso.css")
    assert status == 200 and css == (ROOT / "site/kyoso_site/static/kyoso/kyoso.css").read_text()
    assert _get(demo_server.url + "/static/wagtailadmin/css/core.css")[0] == 200
    status, image = _get(demo_server.url + "/media/images/portrait.max-800x600.png")
    assert status == 200 and image.endswith("portrait")
    # A document may belong to a private collection: only Wagtail's /documents/ view serves it.
    assert _get(demo_server.url + "/media/documents/members-only.pdf")[0] == 404


def test_concurrent_signups_with_one_address_make_one_account(demo_server):
    """Twelve browsers sign up with one address (in four spellings of its case) at once."""
    addresses = ["hanako@example.co.jp", "Hanako@Example.co.jp", "HANAKO@example.co.jp", "hanako@EXAMPLE.CO.JP"] * 3
    openers, tokens = [], []
    for _ in addresses:  # each its own session and CSRF token, as a browser has
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(demo_server.url + "/ja/accounts/signup/", timeout=30).read().decode()
        openers.append(opener)
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    barrier = threading.Barrier(len(addresses))
    statuses: list[int] = []

    def sign_up(opener, token, address):
        data = {"csrfmiddlewaretoken": token, "email": address, "password1": "Tsuyoi-Pass-2026"}
        data["password2"] = data["password1"]
        barrier.wait()
        try:
            with opener.open(
                demo_server.url + "/ja/accounts/signup/", urllib.parse.urlencode(data).encode(), timeout=60
            ) as response:
                statuses.append(response.status)  # after the redirect to "verification sent"
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=sign_up, args=args) for args in zip(openers, tokens, addresses, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(addresses)
    count = (
        "from django.contrib.auth import get_user_model; "
        "print(get_user_model().objects.filter(email__iexact='hanako@example.co.jp').count())"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "--no-imports", "-c", count],
        cwd=ROOT,
        env=demo_server.env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
