"""allauth's account adapter, through its public extension point (ACCOUNT_ADAPTER): where a
person lands after logging in when no `next` says otherwise (allauth honours a safe `next`
before asking the adapter)."""

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def landing_url(user) -> str:
    """Staff land on the admin, everyone else on the member dashboard (or the home page
    on a site without the member area)."""
    if user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    try:
        return reverse("membership:dashboard")
    except NoReverseMatch:
        return "/"


def public_url(url: str) -> str:
    """`url` (allauth's, built on the request's host) on the site's one public base URL."""
    base, parts = urlsplit(settings.SITE_BASE_URL), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        return landing_url(request.user)

    # The links allauth mails (verification, password reset) on SITE_BASE_URL, as every
    # other link the site mails, not on whatever host the request named.
    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return public_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return public_url(super().get_reset_password_from_key_url(key))
