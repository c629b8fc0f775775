"""Helpers for tests that need a signed-in user or a staff member with MFA."""

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.test import Client


def verify_email(user) -> None:
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def give_mfa(user) -> str:
    """Give the user a real TOTP authenticator (and recovery codes) through allauth's
    API; returns the TOTP secret so a test can compute codes with `totp_code`."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str, offset: int = 0) -> str:
    import time

    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD + offset))


def login_browser(page, user, base_url: str) -> None:
    """Sign `user` in for a Playwright page on the live server: a real session made by
    Django's test client, handed to the browser as its session cookie.
    `base_url` is the live server's URL (`live_server.url`)."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])
