"""allauth's account adapter, through its public extension point (ACCOUNT_ADAPTER): where a
person lands after logging in when no `next` says otherwise (allauth honours a safe `next`
before asking the adapter)."""

from allauth.account.adapter import DefaultAccountAdapter
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


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        return landing_url(request.user)
