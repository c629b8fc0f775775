from django import template
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.adapter import landing_url
from accounts.middleware import MFA_NEXT_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def mfa_continue_url(context) -> str:
    """Where to go on after setting up two-factor authentication: the page that asked for it,
    else where this user lands after login."""
    request = context["request"]
    wanted = request.session.get(MFA_NEXT_SESSION_KEY, "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return landing_url(request.user)
