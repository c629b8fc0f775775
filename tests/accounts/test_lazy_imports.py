"""allauth's WebAuthn module is deferred while WebAuthn is off
(kyoso_site/lazy_imports.py): a web process does not load fido2 and
cryptography, TOTP logins and the MFA pages work without running it, and the
module still works once something uses it."""

import hashlib
import inspect
import sys
import types
from pathlib import Path

import allauth
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from kyoso_site import lazy_imports
from tests.accounts.helpers import give_mfa, totp_code, verify_email
from tests.fresh_process import run_in_fresh_process
from tests.membership.factories import UserFactory

# allauth 65.22.1's Authenticator.wrap
ALLAUTH_WRAP_DIGEST = "82f691ea86da053df9f6396fe9635ce71baeb10877ed7d98b842a81536662f60"
WEB_PROCESS = """
import sys, types, django
{before}
django.setup()
from django.conf import settings
from django.urls import get_resolver
from django.utils import translation
from wagtail import hooks
get_resolver()._populate()
hooks.search_for_hooks()
for language, _ in settings.LANGUAGES:
    translation.activate(language)
name = "allauth.mfa.webauthn.internal.auth"
print(sorted(m for m in ("fido2", "cryptography") if m in sys.modules))
print(name in sys.modules, type(sys.modules.get(name)) is types.ModuleType)
{after}
"""


def _run(before: str = "", after: str = "") -> list[str]:
    """A fresh process as gunicorn's master prepares it (URLconf, every
    wagtail_hooks, the catalogues); returns its printed lines."""
    return run_in_fresh_process(WEB_PROCESS.format(before=before, after=after))


def test_a_web_process_loads_neither_fido2_nor_cryptography_and_the_module_still_works():
    use_it = """
from allauth.mfa.webauthn.internal import auth
from allauth.mfa.webauthn.internal.auth import WebAuthn
print(callable(auth.begin_authentication), WebAuthn.__name__, "fido2" in sys.modules, type(auth) is types.ModuleType)
print(type(auth.get_server.__globals__["Fido2Server"]).__name__)
"""
    lines = _run(after=use_it)
    assert lines[0] == "[]"  # neither loaded
    assert lines[1] == "True False"  # imported by allauth, its code not run yet
    assert lines[2] == "True WebAuthn True True"  # first use runs it, with fido2
    assert lines[3] == "type"


def test_with_webauthn_on_allauth_imports_it_as_usual():
    on = "import kyoso_site.settings.test as s; s.MFA_SUPPORTED_TYPES = ['totp', 'recovery_codes', 'webauthn']"
    after = (
        "from allauth.mfa.models import Authenticator; from kyoso_site import lazy_imports;"
        "print(get_resolver().reverse('mfa_add_webauthn'), Authenticator.wrap is not lazy_imports._wrap)"
    )
    lines = _run(before=on, after=after)
    assert lines[0] == "['cryptography', 'fido2']"
    assert lines[1] == "True True"
    assert lines[2].endswith("/webauthn/add/ True")


def test_the_replaced_wrap_is_allauths_as_copied():
    """An allauth upgrade that changes Authenticator.wrap() fails here: compare
    it with lazy_imports._wrap, then update the digest."""
    assert Authenticator.wrap is lazy_imports._wrap
    source = inspect.getsource(lazy_imports.ALLAUTH_WRAP)
    assert hashlib.sha256(source.encode()).hexdigest() == ALLAUTH_WRAP_DIGEST


def test_allauth_imports_fido2_in_the_deferred_module_only():
    """Deferring one module keeps fido2 out only while no other allauth module
    imports it: an allauth upgrade that adds one fails here (and the process
    test above), so lazy_imports can be updated or dropped."""
    package = Path(allauth.__file__).parent
    importers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if any(line.lstrip().startswith(("import fido2", "from fido2")) for line in path.read_text().splitlines())
    )
    assert importers == ["mfa/webauthn/internal/auth.py"]


@pytest.mark.django_db
def test_totp_login_and_the_mfa_pages_work_without_running_webauthn(client):
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    cache.clear()
    staff = UserFactory(email="cm@kyoso.example.jp", is_staff=True, is_superuser=True)
    verify_email(staff)
    secret = give_mfa(staff)
    response = client.post("/ja/accounts/login/", {"login": staff.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and "2fa/authenticate" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    client.post(response["Location"], {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(staff.pk)
    recovery_codes = reverse("mfa_view_recovery_codes")
    assert f'href="{recovery_codes}"' in client.get(reverse("mfa_index")).content.decode()
    # Recovery codes ask for the password again first, then show.
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    response = client.post(response["Location"], {"password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get(reverse("mfa_deactivate_totp")).status_code == 200
    assert client.get("/admin/").status_code == 200
    # A recovery code signs in too (each check wraps the authenticators).
    client.logout()
    codes = RecoveryCodes(Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES))
    response = client.post("/ja/accounts/login/", {"login": staff.email, "password": "correct-horse-battery"})
    client.post(response["Location"], {"code": codes.get_unused_codes()[0]})
    assert client.session["_auth_user_id"] == str(staff.pk)
    # type() does not run the module, attribute access would.
    assert type(sys.modules[lazy_imports.WEBAUTHN_AUTH]) is not types.ModuleType
