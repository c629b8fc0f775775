"""Staff must use MFA: anyone who can open an admin (staff, superusers, and users whose
groups grant Wagtail's "access admin") and has no authenticator is sent to set one up
before any admin screen (Wagtail's /admin/ or Django's /django-admin/)."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

ADMIN_PREFIXES = getattr(settings, "ACCOUNTS_MFA_REQUIRED_PATHS", ("/admin/", "/django-admin/"))


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(ADMIN_PREFIXES)
            and (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request, _("Staff accounts need two-factor authentication. Set it up to continue to the admin.")
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
