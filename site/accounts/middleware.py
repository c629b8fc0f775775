"""Two guards in front of the admins, one middleware so their order is fixed:

1. A signed-in user whose groups lack Wagtail's "access admin" permission gets a 403 page
   for Wagtail's /admin/. Wagtail itself sends them to WAGTAILADMIN_LOGIN_URL
   (`wagtail.admin.auth.reject_request`), and allauth sends a signed-in user from its
   login page straight back to `next`: a redirect loop. Anonymous users are left to
   Wagtail, which sends them to the login as it should.
2. Staff must use MFA: anyone who can open an admin (staff, superusers, and users whose
   groups grant Wagtail's "access admin") and has no authenticator is sent to set one up
   before any admin screen (Wagtail's /admin/ or Django's /django-admin/)."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .app_settings import app_settings

WAGTAIL_ADMIN_PREFIX = "/admin/"
MFA_NEXT_SESSION_KEY = "accounts_mfa_next"
# Signing out must work for everyone; Wagtail's logout view needs no admin access.
WAGTAIL_ADMIN_OPEN_PATHS = ("/admin/logout/",)


def admin_access_denied(request):
    """The 403 page for a signed-in user without access to Wagtail's admin."""
    return render(request, "accounts/admin_access_denied.html", status=403)


def _lacks_wagtail_admin_access(request, user) -> bool:
    return (
        request.path.startswith(WAGTAIL_ADMIN_PREFIX)
        and not request.path.startswith(WAGTAIL_ADMIN_OPEN_PATHS)
        and not user.has_perm("wagtailadmin.access_admin")
    )


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not request.path.startswith(app_settings.MFA_REQUIRED_PATHS):
            return self.get_response(request)
        if _lacks_wagtail_admin_access(request, user):
            # Before the MFA check: setting up an authenticator would only lead here again.
            return admin_access_denied(request)
        if (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")) and not is_mfa_enabled(
            user
        ):
            messages.warning(
                request, _("Staff accounts need two-factor authentication. Set it up to continue to the admin.")
            )
            # allauth's set-up ends on the recovery-codes page, which does not follow `next`:
            # the page the staff member wanted waits in the session (accounts_tags.mfa_continue_url).
            request.session[MFA_NEXT_SESSION_KEY] = request.get_full_path()
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
