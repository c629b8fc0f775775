"""The Content-Security-Policy: django-csp's middleware with the policy in
settings.CONTENT_SECURITY_POLICY, strict for every page the site serves; the two
admins get the few exceptions their packages' markup needs.

The site's own pages run no inline script or style (its JavaScript and CSS are static
files); Wagtail's admin and Django's admin still put `style="…"` attributes and
inline scripts in their markup, so under ADMIN_PREFIXES the policy adds
CONTENT_SECURITY_POLICY_ADMIN_UPDATE. Both admins need a signed-in staff member with
MFA, so the exception never reaches what the public can open."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's documented extension point (`get_policy_parts`)."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIXES) and parts.update is None and parts.replace is None:
            parts.update = settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE
        return parts
