"""The seed inquiry form, posted to the seed page itself.

A `before_serve_page` hook sends POSTs that carry this form's marker here. On
success: redirect back with a message. Otherwise the form, bound to what was
typed, is left on the request and the seed page renders as usual with it.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale

from kyoso_core.ratelimit import consume

from .app_settings import app_settings
from .forms import InquiryForm
from .selectors import privacy_page_for
from .services import inquiry_submit

FORM_MARKER = "inquiry_form"


def _reader_language(page) -> str:
    """The language the visitor reads the site in (the URL prefix), which is the
    page's own language except where a Japanese page stands in for a missing
    translation."""
    language = (get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else page.locale.language_code


def handle_seed_inquiry(request, page) -> HttpResponse | None:
    form = InquiryForm(request.POST)
    request.inquiry_form = form
    count, seconds = app_settings.RATE_LIMIT
    if not consume(request, scope="seed-inquiry", limit=count, period=seconds):
        form.is_valid()  # show field errors too, keeping what was typed
        form.add_error(
            None, _("You have sent several inquiries in a short time. Please wait a few minutes and try again.")
        )
        return None
    if not form.is_valid():
        return None
    # request.path, not page.url: a page shown as the Japanese fallback under
    # /en/ sends the visitor back to the English URL they were on. The fragment
    # scrolls to the thank-you message (base.html), not to the emptied form the
    # browser would otherwise keep from the form's action.
    url = request.path + "#messages"
    if form.cleaned_data["website"]:
        # A bot filled the honeypot: answer as if it worked, keep nothing.
        messages.success(request, _("Thank you for your inquiry. We have sent you a confirmation e-mail."))
        return redirect(url)
    data = form.cleaned_data
    inquiry_submit(
        seed=page,
        language_code=_reader_language(page),
        company=data["company"],
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        message=data["message"],
        privacy_page=privacy_page_for(locale=Locale.get_active()),
    )
    messages.success(request, _("Thank you for your inquiry. We have sent you a confirmation e-mail."))
    return redirect(url)
