from django import template
from wagtail.models import Locale

from ..forms import InquiryForm
from ..selectors import privacy_page_for
from ..views import FORM_MARKER

register = template.Library()


@register.inclusion_tag("inquiries/inquiry_form.html", takes_context=True)
def seed_inquiry_form(context, page) -> dict:
    """The inquiry form for a seed page; after a failed POST, the bound form with its errors."""
    request = context.get("request")
    form = getattr(request, "inquiry_form", None) or InquiryForm()
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        locale = None
    return {
        "form": form,
        "page": page,
        "privacy_page": privacy_page_for(locale=locale),
        "marker_name": FORM_MARKER,
        "marker_value": InquiryForm.form_id,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
