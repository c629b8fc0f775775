"""Third-party imports a web process defers or does without, to keep each
worker small (bench/README.md, "Worker memory"). install() is called from the
site's AppConfig.ready(), after the models and before the URLconf.

WebAuthn. allauth imports its WebAuthn module,
`allauth.mfa.webauthn.internal.auth`, whenever the MFA login stage is
imported (`allauth.mfa.stages` and `allauth.mfa.base.views`, through
`allauth.mfa.webauthn.internal.flows`), also when `MFA_SUPPORTED_TYPES` has
no "webauthn", as here (TOTP and recovery codes). That module is allauth's
only importer of `fido2`, and `fido2` loads `cryptography` and its Rust
library: about 10 MB in every web process for code no request of this site
runs. With WebAuthn off, install()

- gives that one module the standard library's `importlib.util.LazyLoader`:
  its importers get the module object at once, and its code (with the `fido2`
  imports) runs at the first attribute access, which allauth's views and
  forms only make with WebAuthn on;
- replaces `Authenticator.wrap()` (allauth.mfa.models) by the same method
  that imports the WebAuthn class only for a WebAuthn authenticator: allauth
  imports it for every type, so each TOTP or recovery-code check would run
  the module. The upstream method is kept in ALLAUTH_WRAP, compared by digest
  in the tests.

With WebAuthn on, nothing is changed and allauth imports it as it always
does. (Python 3.11's lazy module is not locked for two threads touching it
first at the same time; with the above no request touches it while WebAuthn
is off. 3.12 adds the lock.)

tests/accounts/test_lazy_imports.py: a fresh process loads neither `fido2`
nor `cryptography`; a TOTP login, recovery codes and the MFA pages work
without running the module; the module still works when used; allauth still
imports `fido2` in that module only, and `wrap()` is still the method copied.

psycopg without PostgreSQL. Django REST framework (loaded by Wagtail's admin
API, which the sidebar's page explorer uses) imports
`django.contrib.postgres.fields` in `rest_framework.compat` if it can, and
with it psycopg and its bundled libpq: about 4.5 MB of Python objects in
every process, also on SQLite. Its fallback when psycopg is missing is
`postgres_fields = None`, and the only use of it is mapping PostgreSQL's
ArrayField, HStoreField and JSONField in ModelSerializer, fields no model can
have on another database. With no PostgreSQL database configured, install()
imports `rest_framework.compat` once with that module marked missing, so DRF
takes its own fallback; the module is importable again right after. With
PostgreSQL (production) nothing changes: psycopg is the driver there anyway.
tests/site/test_drf_without_postgres.py checks both databases and that DRF's
import is still the one this was written for.

HEIC without HEIC uploads. Willow (Wagtail's image library) imports
`pillow_heif` when it is first imported, if it can, to open HEIC files: its
libheif, libde265 and libx265 cost a web process about 7 MB. Wagtail accepts
HEIC uploads only when WAGTAILIMAGES_EXTENSIONS lists "heic", which its
default (and this site) does not; Pillow opens AVIF itself. So, with "heic"
not allowed, import_willow() imports Willow once with `pillow_heif` marked
missing (Willow's own fallback: HEIC unsupported). kyoso_site/wagtail_apps.py
calls it before it imports Wagtail's images AppConfig, whose system checks are
the first to import Willow while the apps load. With "heic" allowed nothing
changes.
tests/site/test_willow_without_heif.py checks both, and that Willow's import
is still the one this was written for.
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys

WEBAUTHN_AUTH = "allauth.mfa.webauthn.internal.auth"
DRF_POSTGRES_IMPORT = "django.contrib.postgres.fields"
HEIF_PLUGIN = "pillow_heif"
ALLAUTH_WRAP = None  # allauth's Authenticator.wrap, once replaced


class _LazyFinder(importlib.abc.MetaPathFinder):
    """Finds the listed modules as the path finder does and defers their execution."""

    def __init__(self, names: frozenset[str]):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def webauthn_enabled() -> bool:
    from allauth.mfa import app_settings

    return "webauthn" in app_settings.SUPPORTED_TYPES


def _wrap(self):
    """allauth's Authenticator.wrap(), importing the WebAuthn class only for
    a WebAuthn authenticator (see the module)."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if self.type == self.Type.WEBAUTHN:
        from allauth.mfa.webauthn.internal.auth import WebAuthn

        return WebAuthn(self)
    return {self.Type.TOTP: TOTP, self.Type.RECOVERY_CODES: RecoveryCodes}[self.type](self)


def defer_webauthn() -> None:
    global ALLAUTH_WRAP
    from allauth.mfa.models import Authenticator

    if webauthn_enabled() or ALLAUTH_WRAP is not None:
        return
    if WEBAUTHN_AUTH not in sys.modules:
        sys.meta_path.insert(0, _LazyFinder(frozenset({WEBAUTHN_AUTH})))
    ALLAUTH_WRAP = Authenticator.wrap
    Authenticator.wrap = _wrap


def _import(name: str, *, as_if_missing: str | None) -> None:
    """Import module `name`, unless it or `as_if_missing` is imported already; with
    `as_if_missing`, that module is marked missing meanwhile (an `import` of it raises
    ImportError, so `name` takes its own fallback) and importable again afterwards."""
    if name in sys.modules or (as_if_missing and as_if_missing in sys.modules):
        return
    if as_if_missing is None:
        importlib.import_module(name)
        return
    sys.modules[as_if_missing] = None
    try:
        importlib.import_module(name)
    finally:
        del sys.modules[as_if_missing]


def import_drf_compat() -> None:
    """Import `rest_framework.compat`; without a PostgreSQL database, as if
    psycopg were not installed (DRF's own fallback, see the module)."""
    from django.db import connections

    postgresql = any(connections[alias].vendor == "postgresql" for alias in connections)
    _import("rest_framework.compat", as_if_missing=None if postgresql else DRF_POSTGRES_IMPORT)


def heic_uploads_allowed() -> bool:
    from django.conf import settings

    # Wagtail's default (wagtail.images.utils.get_allowed_image_extensions) has no "heic".
    return "heic" in getattr(settings, "WAGTAILIMAGES_EXTENSIONS", ())


def import_willow() -> None:
    """Import Willow; unless HEIC uploads are allowed, as if pillow_heif were
    not installed (Willow's own fallback, see the module)."""
    _import("willow", as_if_missing=None if heic_uploads_allowed() else HEIF_PLUGIN)


def install() -> None:
    defer_webauthn()
    import_drf_compat()
