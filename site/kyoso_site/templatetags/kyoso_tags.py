from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page

register = template.Library()


@register.inclusion_tag("kyoso_site/includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to the current page in every language.

    On a Wagtail page, the link goes to that page's translation; where there is
    none yet, to the other language's home page. Elsewhere the URL is the same
    path under the other language prefix.
    """
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translations: dict[str, str] = {}
    if isinstance(page, Page) and request is not None:
        for translation in page.get_translations(inclusive=True).select_related("locale"):
            translations[translation.locale.language_code] = translation.get_url(request)
        if len(translations) < len(settings.LANGUAGES):
            root = page.get_site().root_page if page.get_site() else None
            if root is not None:
                for home in root.get_translations(inclusive=True).select_related("locale"):
                    translations.setdefault(home.locale.language_code, home.get_url(request))
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code]
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}


@register.simple_tag
def locale_home_url() -> str:
    """The home page of the active language."""
    return f"/{get_language() or Locale.get_default().language_code}/"
