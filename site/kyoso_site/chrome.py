"""What every public page needs besides its own content — this language's
home, its top-level pages (menu, breadcrumbs), the footer links, the seed
taxonomies — kept in Django's cache as one entry per language, fetched
together with the content version in a single cache read, and dropped whenever
a page, site, locale, view restriction or taxonomy changes.

It keeps the number of queries per page constant and small (see
tests/site/test_performance.py) without caching any page's HTML.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from wagtail.models import Locale, Page, PageViewRestriction, Site

CHROME_KEY = "kyoso_chrome:{lang}"
CONTENT_VERSION_KEY = "kyoso_content_version"
TIMEOUT = 60 * 60


def _language() -> str:
    return (get_language() or "ja").split("-")[0]


def _build(lang: str, request) -> dict | None:
    from organization.models import ContactPage, PrivacyPolicyPage
    from seeds.models import Department, ResearchField

    from home.models import HomePage

    home = HomePage.objects.filter(locale__language_code=lang).select_related("locale").first()
    if home is None:
        return None
    top = []
    for page in home.get_children().live().order_by("path").select_related("content_type"):
        model = page.specific_class
        top.append(
            {
                "id": page.pk,
                "title": page.title,
                "url": page.get_url(request),
                "path": page.path,
                "url_path": page.url_path,
                "in_menu": page.show_in_menus,
                "model": model._meta.label_lower if model else "",
                "translation_key": page.translation_key,
                "translations": {},
            }
        )
    # Each top-level page's live translations, for hreflang links and the
    # language switcher (any page change rebuilds every language's chrome).
    keys = {t["translation_key"]: t for t in top}
    for page in Page.objects.live().filter(translation_key__in=keys).select_related("locale"):
        url = page.get_url(request)
        if url:
            keys[page.translation_key]["translations"][page.locale.language_code] = url
    home_translations = {}
    for page in Page.objects.live().filter(translation_key=home.translation_key).select_related("locale"):
        url = page.get_url(request)
        if url:
            home_translations[page.locale.language_code] = url
    footer = []
    for model in (ContactPage, PrivacyPolicyPage):
        page = model.objects.live().filter(locale=home.locale).first()
        if page is not None:
            footer.append({"title": page.title, "url": page.get_url(request)})
    return {
        "lang": lang,
        # Pages under a view restriction, so that listings can leave them out
        # without a subquery and their fragments stay out of the shared cache
        # (kyoso_site.fragments.cache_alias); usually none; any change clears
        # the chrome. Wagtail's serve checks the restrictions themselves.
        "restricted_paths": list(PageViewRestriction.objects.values_list("page__path", flat=True)),
        # Aliases take their source's restrictions: their fragments are not shared.
        "alias_paths": list(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)),
        "locale_id": home.locale_id,
        "home": {"id": home.pk, "url_path": home.url_path, "path": home.path, "translations": home_translations},
        "top": top,
        "footer": footer,
        "fields": [(f.slug, f.name, f.name_en) for f in ResearchField.objects.all()],
        "departments": [(d.slug, d.name, d.name_en) for d in Department.objects.all()],
    }


def site_chrome(request) -> dict | None:
    """This language's chrome, with the `content_version`, in one cache read
    (None without a home page in this language). Read once per response: page
    types put it in their context (kyoso_site.fragments.SharedFragmentsMixin),
    elsewhere kyoso_site.context_processors does."""
    lang = _language()
    key = CHROME_KEY.format(lang=lang)
    found = cache.get_many([key, CONTENT_VERSION_KEY])
    chrome = found.get(key)
    if chrome is None:
        chrome = _build(lang, request)
        if chrome is None:
            return None
        cache.set(key, chrome, TIMEOUT)
    return dict(chrome, content_version=found.get(CONTENT_VERSION_KEY) or content_version())


def content_version() -> str:
    """A token that changes whenever a page, a view restriction or a taxonomy
    changes (after the change commits). Data derived from many pages, such as
    the seed counts, is cached under it, so a change makes it unreachable
    instead of having to find and delete it. `site_chrome` reads it too."""
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(CONTENT_VERSION_KEY, version, None):
            version = cache.get(CONTENT_VERSION_KEY) or version
    return version


def bump_content_version() -> None:
    """Make everything cached under the content version unreachable."""
    cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, None)


def clear_chrome(**kwargs) -> None:
    from django.conf import settings

    cache.delete_many([CHROME_KEY.format(lang=code) for code, _name in settings.LANGUAGES])


def _on_change(sender, instance=None, **kwargs):
    from people.models import Person
    from seeds.models import Department, ResearchField
    from wagtail.images.models import AbstractImage

    chrome_models = Page | Site | Locale | PageViewRestriction | ResearchField | Department
    # People (names on seed pages) and images (in page bodies) appear in
    # fragments cached under the content version, never in the chrome.
    content_only = Person | AbstractImage
    if not isinstance(instance, chrome_models | content_only):
        return
    # Now, so that the rest of this transaction sees its own change, and again
    # after the commit: another process may have read the first new version
    # before the commit and cached the old rows under it.
    bump_content_version()
    transaction.on_commit(bump_content_version)
    # Seeds change often and appear in no chrome: leave the chrome alone for them.
    if sender.__name__ != "SeedPage" and not isinstance(instance, content_only):
        clear_chrome()
        transaction.on_commit(clear_chrome)


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="kyoso_chrome_save")
    post_delete.connect(_on_change, dispatch_uid="kyoso_chrome_delete")
