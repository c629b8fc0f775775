from django.utils.translation import get_language

from .models import PrivacyPolicyPage


def privacy_policy_url(*, request=None) -> str | None:
    """The live privacy policy in the current language (Japanese if untranslated)."""
    language = (get_language() or "ja").split("-")[0]
    pages = {p.locale.language_code: p for p in PrivacyPolicyPage.objects.live().select_related("locale")}
    page = pages.get(language) or pages.get("ja") or next(iter(pages.values()), None)
    return page.get_url(request) if page else None
