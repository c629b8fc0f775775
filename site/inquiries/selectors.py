"""Reads for inquiry screens."""

from django.apps import apps
from wagtail.models import Locale, Page


def privacy_page_for(*, locale: Locale | None) -> Page | None:
    """The live privacy policy in `locale`, else in the default language."""
    model = apps.get_model("organization", "PrivacyPolicyPage")
    pages = model.objects.live().select_related("locale")
    if locale is not None:
        page = pages.filter(locale=locale).first()
        if page is not None:
            return page
    return pages.filter(locale=Locale.get_default()).first() or pages.first()
