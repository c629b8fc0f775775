import json

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from wagtail.models import Locale, Page

from kyoso_site import fragments
from kyoso_site.chrome import site_chrome

register = template.Library()


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def current_language() -> str:
    return (get_language() or Locale.get_default().language_code).split("-")[0]


def chrome_of(context) -> dict | None:
    """This language's site chrome: the one in the context (the page's, or
    kyoso_site.context_processors'), read again only when it is another
    language's (a page served in Japanese at an English URL)."""
    chrome = context.get("chrome")
    if chrome and chrome.get("lang") == current_language():
        return chrome
    request = context.get("request")
    return site_chrome(request) if request is not None else None


def _subpage(request) -> str:
    """The part of the URL below the page that a routable page's view serves,
    set by that view as `request.kyoso_subpage` (e.g. "yamano-taro/")."""
    return getattr(request, "kyoso_subpage", "") if request is not None else ""


def page_translation_urls(context, page) -> dict[str, str]:
    """Live translations of `page` by language code → URL (the switcher,
    hreflang links and canonical need them)."""
    request = context.get("request")
    urls: dict[str, str] = {}
    if isinstance(page, Page):
        # Known already: given by the page's context (seeds keep theirs in the
        # fragment cache), or the home's and top-level pages' in the chrome.
        known = context.get("translation_urls")
        chrome = chrome_of(context) if request is not None else None
        if known is not None:
            urls = dict(known)
        elif chrome is not None and chrome["home"]["id"] == page.pk:
            urls = dict(chrome["home"]["translations"])
        elif chrome is not None:
            top = next((t for t in chrome["top"] if t["id"] == page.pk), None)
            if top is not None and top.get("translations"):
                urls = dict(top["translations"])
        if not urls:
            for translation in page.get_translations(inclusive=True).live().select_related("locale"):
                url = translation.get_url(request)
                if url:
                    urls[translation.locale.language_code] = url
        # A routable page's sub-view (a person's profile, the event archive)
        # exists in every language the page does: point at it, not the page.
        suffix = _subpage(request)
        if suffix:
            urls = {code: url + suffix for code, url in urls.items()}
    return urls


@register.inclusion_tag("kyoso_site/includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to the current page in every language.

    On a Wagtail page, the link goes to that page's translation; where there is
    none yet, to the same path under the other language (which falls back to
    Japanese with a notice). Elsewhere the URL is the same path under the
    other language prefix.
    """
    request = context.get("request")
    page = context.get("page")
    current = current_language()
    translations = page_translation_urls(context, page) if isinstance(page, Page) and request else {}
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations and not (code == current and getattr(request, "kyoso_fallback", False)):
            # Filters and page numbers mean the same in every language.
            query = request.GET.urlencode() if request is not None else ""
            url = translations[code] + (f"?{query}" if query else "")
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}


@register.simple_tag
def locale_home_url() -> str:
    """The home page of the active language."""
    return f"/{current_language()}/"


@register.inclusion_tag("kyoso_site/includes/main_menu.html", takes_context=True)
def main_menu(context) -> dict:
    """Live top-level pages of this language's home marked "show in menus"."""
    request = context.get("request")
    chrome = chrome_of(context)
    current_path = request.path if request is not None else ""
    links = [
        {"title": t["title"], "url": t["url"], "active": bool(t["url"]) and current_path.startswith(t["url"])}
        for t in (chrome or {}).get("top", [])
        if t["in_menu"] and t["url"]
    ]
    return {"links": links, "request": request, "user": context.get("user")}


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context) -> list[dict]:
    """Ancestors below the root for the breadcrumb trail, from the chrome
    where it knows them (no query), else from the tree."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page) or request is None:
        return []
    chrome = chrome_of(context)
    home_label = gettext("Home")
    if chrome is not None and page.path.startswith(chrome["home"]["path"]) and page.depth <= 4:
        crumbs = [{"title": home_label, "url": locale_home_url()}]
        if page.depth == 4:
            parent = next((t for t in chrome["top"] if page.path.startswith(t["path"])), None)
            if parent is not None:
                crumbs.append({"title": parent["title"], "url": parent["url"]})
        return crumbs
    return [
        {"title": home_label if a.depth == 2 else a.title, "url": a.get_url(request)}
        for a in page.get_ancestors().filter(depth__gte=2)
    ]


# What a page's context may set to change its head: with these, the page,
# the language and the content, a page whose context has `fragments` (kyoso_site.fragments)
# has the same head for every visitor.
_SEO_CONTEXT = ("canonical_query", "og_title", "og_description", "json_ld")


@register.simple_tag(takes_context=True)
def seo_head(context) -> str:
    """Canonical and hreflang links, OpenGraph and schema.org JSON-LD.

    For page types whose head depends only on the page, the language, the
    content and the context values above (their context names a
    `fragments`: home, seed list, seeds; never shared in a preview), built once
    per content version into that cache (the JSON-LD reads the page's fields
    and researchers)."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return ""
    shared = fragments.of(context)
    if shared is not fragments.NOTHING_SHARED and isinstance(page, Page) and not _subpage(request):
        return shared.cached(
            "seo_head",
            page.pk,
            request.path,
            getattr(request, "kyoso_fallback", False),
            *(repr(context.get(name)) for name in _SEO_CONTEXT),
            build=lambda: _seo_head(context, request, page),
        )
    return _seo_head(context, request, page)


def _seo_head(context, request, page) -> str:
    site_root = settings.SITE_BASE_URL
    lines = []
    canonical = None
    if isinstance(page, Page):
        urls = page_translation_urls(context, page)
        chrome = chrome_of(context)
        if chrome is not None and chrome["locale_id"] == page.locale_id:
            page_lang = current_language()
        else:
            page_lang = page.locale.language_code
        canonical = urls.get(page_lang) or (page.get_url(request) or "") + _subpage(request)
        canonical = canonical + (context.get("canonical_query") or "")
        for code, url in urls.items():
            lines.append(format_html('<link rel="alternate" hreflang="{}" href="{}">', code, _absolute(site_root, url)))
        if "ja" in urls:
            lines.append(
                format_html('<link rel="alternate" hreflang="x-default" href="{}">', _absolute(site_root, urls["ja"]))
            )
    else:
        canonical = request.path
    canonical_abs = _absolute(site_root, canonical)
    lines.append(format_html('<link rel="canonical" href="{}">', canonical_abs))
    title = context.get("og_title") or (getattr(page, "seo_title", "") or getattr(page, "title", ""))
    description = context.get("og_description") or getattr(page, "search_description", "") or ""
    if not description:
        description = getattr(page, "summary", "") or getattr(page, "lead", "") or ""
        description = description if isinstance(description, str) else ""
    lines.append(
        format_html('<meta property="og:type" content="{}">', "website" if page and page.depth <= 2 else "article")
    )
    lines.append(format_html('<meta property="og:site_name" content="{}">', _site_name()))
    if title:
        lines.append(format_html('<meta property="og:title" content="{}">', title))
    if description:
        lines.append(format_html('<meta property="og:description" content="{}">', description))
        lines.append(format_html('<meta name="description" content="{}">', description))
    lines.append(format_html('<meta property="og:url" content="{}">', canonical_abs))
    lines.append(
        format_html('<meta property="og:locale" content="{}">', "en_US" if current_language() == "en" else "ja_JP")
    )
    data = context.get("json_ld")
    if data is None and hasattr(page, "json_ld"):
        data = page.json_ld(request=request, base_url=site_root)
    if data:
        text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
        lines.append(mark_safe(f'<script type="application/ld+json">{text}</script>'))  # noqa: S308 (escaped above)
    return mark_safe("\n  ".join(lines))  # noqa: S308 (each line is built by format_html)


def _absolute(root: str, url: str) -> str:
    return url if url.startswith("http") else root + url


def _site_name() -> str:
    from django.utils.translation import gettext

    return gettext("Kyoso — Open Innovation Organization")


def organization_json_ld(*, base_url: str) -> dict:
    """schema.org Organization for the OI organization."""
    from django.utils.translation import gettext

    return {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": gettext("Kyoso — Open Innovation Organization"),
        "url": f"{base_url}/{current_language()}/",
        "parentOrganization": {"@type": "CollegeOrUniversity", "name": gettext("Kyoso University (fictional)")},
    }


@register.simple_tag(takes_context=True)
def footer_links(context) -> list[dict]:
    """Contact and privacy policy of this language, for the footer."""
    chrome = chrome_of(context)
    return list((chrome or {}).get("footer", []))
