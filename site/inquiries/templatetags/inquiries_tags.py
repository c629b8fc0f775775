from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.models import Locale

from kyoso_site import fragments

from ..forms import InquiryForm
from ..selectors import privacy_page_for
from ..views import FORM_MARKER

register = template.Library()

TEMPLATE = "inquiries/inquiry_form.html"
# Stands for the CSRF token in the cached empty form; each request puts its own in.
CSRF_PLACEHOLDER = "kyoso-csrf-token-placeholder"


def _privacy_url(request) -> str | None:
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        locale = None
    page = privacy_page_for(locale=locale)
    return page.get_url(request) if page is not None else None


def _render(*, form, page, privacy_url, csrf_token, request) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "form": form,
            "page": page,
            "privacy_url": privacy_url,
            "marker_name": FORM_MARKER,
            "marker_value": InquiryForm.form_id,
            "csrf_token": csrf_token,
            "request": request,
        },
    )


@register.simple_tag(takes_context=True)
def seed_inquiry_form(context, page) -> str:
    """The inquiry form for a seed page; after a failed POST, the bound form
    with its errors and what the user typed.

    The empty form is the same for every visitor but for the CSRF token: it
    is rendered once per seed, language and content version (the privacy
    policy's URL) into the fragment cache, and each request's own token is
    put in its place."""
    request = context.get("request")
    bound = getattr(request, "inquiry_form", None)
    shared = fragments.of(context)
    privacy_url = shared.cached("privacy_url", build=lambda: _privacy_url(request))
    if bound is not None:
        return _render(
            form=bound, page=page, privacy_url=privacy_url, csrf_token=context.get("csrf_token"), request=request
        )
    html = shared.cached(
        "inquiry_form",
        page.pk,
        page.url_path,
        build=lambda: _render(
            form=InquiryForm(), page=page, privacy_url=privacy_url, csrf_token=CSRF_PLACEHOLDER, request=request
        ),
    )
    # The token is per request (and reading it makes the middleware set the cookie).
    token = str(context.get("csrf_token") or "")
    return mark_safe(html.replace(CSRF_PLACEHOLDER, token))  # noqa: S308 (a rendered template; the token is [A-Za-z0-9])
