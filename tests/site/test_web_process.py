"""The site as production serves it: `scripts/web` (gunicorn with deploy/gunicorn.conf.py),
production's settings, its own database with the demo content. What people and staff do most is tried over HTTP:
the public pages in both languages, a seed inquiry refused then accepted, a member's and a
staff member's sign-in (with TOTP), the Wagtail admin and its API, a Stripe webhook.

The server has its own SQLite database, so this runs once per suite (in the SQLite pass)."""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.accounts.helpers import totp_code
from tests.billing.stripe_fake import WEBHOOK_SECRET, event, resource, sign
from tests.web_server import free_port, web_process

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the web process has its own SQLite database: tried once, in the SQLite pass",
    ),
    # One server for the module: its tests go to one xdist worker (scripts/test.sh: --dist loadgroup).
    pytest.mark.xdist_group("web_process"),
]

# Run on the server's database and media after migrate, with the development settings (the
# demo app is theirs): the demo content and logins (their password files under the temporary
# directory, not the checkout's var/), and a TOTP authenticator for the demo admin, whose
# secret is printed for the test.
SETUP = """
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
settings.BASE_DIR = Path({base!r})
call_command("load_demo")
call_command("ensure_admin")
from tests.accounts.helpers import give_mfa
print("TOTP secret:", give_mfa(get_user_model().objects.get(email="admin@kyoso.example.jp")))
"""


INQUIRY = {
    "inquiry_form": "seed-inquiry",
    "company": "共創化学株式会社",
    "name": "山田 花子",
    "email": "hanako@example.co.jp",
    "message": "共同研究について伺いたく存じます。",
    "consent": "on",
    "website": "",
}


class Visitor:
    """One browser's worth of cookies. Production's cookies are Secure; behind the load
    balancer they travel over HTTPS, here over loopback HTTP, so the jar sends them."""

    def __init__(self, base: str):
        self.base = base
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("http", "https"))
        self.jar = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects)

    def request(self, path: str, data: dict | None = None, *, body: bytes | None = None, headers=None):
        """(status, headers, text) of one request; redirects are returned, not followed."""
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310 (http://127.0.0.1)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def form(self, path: str, fields: dict):
        """GET the page, then POST `fields` to it with the page's CSRF token."""
        status, _, html = self.request(path)
        assert status == 200, (path, status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.request(path, {"csrfmiddlewaretoken": token, **fields})


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    base = tmp_path_factory.mktemp("web")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.production",
        "SECRET_KEY": "web-process-test-" + "k" * 50,
        "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
        "STATIC_ROOT": str(base / "static"),
        "MEDIA_ROOT": str(base / "media"),
        "SECURE_SSL_REDIRECT": "false",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "KYOSO_ADDR": f"127.0.0.1:{port}",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "site"), str(ROOT)]),
        "WEB_CONCURRENCY": "2",
    }
    env.pop("EMAIL_HOST", None)  # production's console backend: the mail is in the server's output
    manage = [sys.executable, "manage.py"]

    def run(*command, settings=None):
        run_env = env if settings is None else {**env, "DJANGO_SETTINGS_MODULE": settings}
        result = subprocess.run(command, cwd=ROOT, env=run_env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    run(*manage, "migrate", "--noinput", "-v0")
    run(*manage, "createcachetable")
    run(*manage, "collectstatic", "--noinput", "-v0")
    # The demo app is not installed in production: its content goes in as `make run` puts it.
    setup = SETUP.format(base=str(base))
    out = run(*manage, "shell", "-v0", "--no-imports", "-c", setup, settings="kyoso_site.settings.dev")
    logins = dict(re.findall(r"^(Member|Admin) login: \S+ / (\S+)", out, re.MULTILINE))
    secret = re.search(r"^TOTP secret: (\S+)", out, re.MULTILINE).group(1)

    output = base / "server.out"
    log = base / "gunicorn.log"
    with open(output, "w") as stdout, web_process(env, port, log, stdout=stdout) as process:
        yield {
            "base": f"http://127.0.0.1:{port}",
            "pid": process.pid,
            "log": log,
            "output": output,
            "member_password": logins["Member"],
            "admin_password": logins["Admin"],
            "totp_secret": secret,
        }


def test_the_server_runs_as_many_workers_as_web_concurrency_says(web):
    for _ in range(150):  # the second worker may still be booting
        text = web["log"].read_text()
        if text.count("Booting worker") >= 2:
            break
        time.sleep(0.2)
    assert text.count("Booting worker") == 2, text
    assert "Using worker: gthread" in text


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [
        ("/ja/", "ja", "技術シーズ"),
        ("/en/", "en", "Research seeds"),
        ("/ja/seeds/?field=materials&sort=title", "ja", "10件"),
        ("/en/seeds/?field=materials&sort=title", "en", "10 seeds"),
        ("/ja/seeds/materials-01/", "ja", "レアアースを使わない高性能磁石材料"),
        ("/ja/events/", "ja", "マッチングデー"),
        ("/en/events/", "en", "Life science matching day"),
    ],
)
def test_public_pages_render_in_both_languages(web, path, lang, text):
    status, headers, html = Visitor(web["base"]).request(path)
    assert status == 200, html[-2000:]
    assert f'<html lang="{lang}"' in html
    assert text in html


def test_an_inquiry_is_refused_with_a_message_then_accepted_and_confirmed(web):
    visitor = Visitor(web["base"])
    page = "/ja/seeds/materials-01/"
    inquiry = {**INQUIRY, "email": "hanako@", "message": "<script>alert(1)</script>" + INQUIRY["message"]}
    status, _, html = visitor.form(page, inquiry)
    assert status == 200
    assert "有効なメールアドレスを入力してください。" in html
    assert 'value="共創化学株式会社"' in html  # what was typed is kept
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html

    status, headers, _ = visitor.form(page, {**inquiry, "email": "hanako@example.co.jp"})
    assert status == 302 and headers["Location"].endswith("#messages")  # back to the thank-you message
    status, _, html = visitor.request(headers["Location"].split("#")[0])
    assert "お問い合わせありがとうございます。確認メールをお送りしました。" in html
    mail = web["output"].read_text()
    assert "To: hanako@example.co.jp" in mail and "山田 花子 様" in mail


def test_the_demo_member_signs_in_and_sees_their_organization(web):
    visitor = Visitor(web["base"])
    status, headers, _ = visitor.form(
        "/ja/accounts/login/?next=/ja/members/",
        {"login": "member@kyoso.example.jp", "password": web["member_password"], "next": "/ja/members/"},
    )
    assert status == 302 and headers["Location"] == "/ja/members/"
    status, _, html = visitor.request("/ja/members/")
    assert status == 200 and "架空精密工業株式会社" in html
    status, _, html = visitor.request("/ja/members/invoices/")
    assert status == 200 and "2026-000001" in html


def test_staff_sign_in_with_totp_and_use_the_admin_and_its_api(web):
    visitor = Visitor(web["base"])
    status, headers, _ = visitor.form(
        "/ja/accounts/login/", {"login": "admin@kyoso.example.jp", "password": web["admin_password"]}
    )
    assert status == 302 and "2fa/authenticate" in headers["Location"]
    status, headers, _ = visitor.form(headers["Location"], {"code": totp_code(web["totp_secret"])})
    assert status == 302, "the TOTP code was refused"

    status, _, html = visitor.request("/admin/")
    assert status == 200 and "wagtail" in html.lower()
    status, _, html = visitor.request("/admin/pages/")
    assert status == 200
    # The sidebar's page explorer: Wagtail's admin API (Django REST framework, pydantic).
    status, _, body = visitor.request("/admin/api/main/pages/?child_of=root&for_explorer=1")
    assert status == 200, body[-2000:]
    assert json.loads(body)["meta"]["total_count"] >= 1
    # The inbox shows an inquiry sent meanwhile (this test's own: the module's tests may run in any order).
    status, _, _ = Visitor(web["base"]).form("/en/seeds/materials-02/", {**INQUIRY, "company": "Inbox Check Ltd."})
    assert status == 302
    status, _, html = visitor.request("/admin/inquiries/")
    assert status == 200 and "Inbox Check Ltd." in html and "/admin/inquiries/edit/" in html


def test_a_stripe_webhook_is_checked_and_acknowledged_once(web):
    visitor = Visitor(web["base"])
    payload = json.dumps(event("customer.created", resource("customer")))

    def deliver(signature):
        return visitor.request(
            "/billing/stripe/webhook/",
            body=payload.encode(),
            headers={"Content-Type": "application/json", "Stripe-Signature": signature},
        )

    status, _, _ = deliver("t=1,v1=forged")
    assert status == 400
    assert deliver(sign(payload))[::2] == (200, "ok")
    assert deliver(sign(payload))[::2] == (200, "duplicate")
