"""What every public page needs besides its own content — this language's
home, its top-level pages (menu, breadcrumbs), the footer links, the seed
taxonomies — kept in the cache as one entry per language, fetched together
with Wagtail's site root paths in a single cache read, and dropped whenever a
page, site, locale or taxonomy changes.

It keeps the number of queries per page constant and small (see
tests/site/test_performance.py) without caching any page's HTML.
"""

import contextlib
import pickle
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

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
        subtypes = model.allowed_subpage_models() if model else []
        top.append(
            {
                "id": page.pk,
                "title": page.title,
                "url": page.get_url(request),
                "path": page.path,
                "url_path": page.url_path,
                "in_menu": page.show_in_menus,
                "model": model._meta.label_lower if model else "",
                "child_model": subtypes[0]._meta.label_lower if len(subtypes) == 1 else "",
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
    footer = []
    for model in (ContactPage, PrivacyPolicyPage):
        page = model.objects.live().filter(locale=home.locale).first()
        if page is not None:
            footer.append({"title": page.title, "url": page.get_url(request)})
    sites = list(Site.objects.all()[:2])
    return {
        # Pages under a view restriction, so that listings can leave them out
        # without a subquery (usually none; any change clears the chrome).
        "restricted_paths": list(PageViewRestriction.objects.values_list("page__path", flat=True)),
        # Aliases take their source's restrictions; where one is an ancestor,
        # Wagtail's own check runs. (Seeds are never ancestors.)
        "alias_paths": list(
            Page.objects.filter(alias_of__isnull=False)
            .exclude(content_type__model="seedpage", content_type__app_label="seeds")
            .values_list("path", flat=True)
        ),
        # With a single site every request belongs to it: no lookup needed.
        "site": sites[0] if len(sites) == 1 else None,
        "locale_id": home.locale_id,
        "home": {"id": home.pk, "url_path": home.url_path, "path": home.path, "model": "home.homepage"},
        "top": top,
        "footer": footer,
        "fields": [(f.slug, f.name, f.name_en) for f in ResearchField.objects.all()],
        "departments": [(d.slug, d.name, d.name_en) for d in Department.objects.all()],
    }


def site_chrome(request) -> dict | None:
    """This language's chrome; also primes Wagtail's per-request root paths."""
    lang = _language()
    memo = getattr(request, "_kyoso_chrome", None)
    if memo is not None and memo[0] == lang:
        return memo[1]
    key = CHROME_KEY.format(lang=lang)
    found = cache.get_many([SITE_ROOT_PATHS_CACHE_KEY, key, CONTENT_VERSION_KEY], version=SITE_ROOT_PATHS_CACHE_VERSION)
    request._kyoso_content_version = found.get(CONTENT_VERSION_KEY)
    if SITE_ROOT_PATHS_CACHE_KEY in found:
        request._wagtail_cached_site_root_paths = found[SITE_ROOT_PATHS_CACHE_KEY]
    chrome = found.get(key)
    if chrome is None:
        chrome = _build(lang, request)
        if chrome is not None:
            cache.set(key, chrome, TIMEOUT, version=SITE_ROOT_PATHS_CACHE_VERSION)
    request._kyoso_chrome = (lang, chrome)
    if chrome is not None and chrome.get("site") is not None and not hasattr(request, "_wagtail_site"):
        request._wagtail_site = chrome["site"]
    return chrome


def content_version(request) -> str:
    """A token that changes whenever a page, a view restriction or a taxonomy
    changes (after the change commits). Data derived from many pages, such as
    the seed counts, is cached under it, so a change makes it unreachable
    instead of having to find and delete it. Read with the chrome: no query."""
    if request is not None and not hasattr(request, "_kyoso_content_version"):
        site_chrome(request)
    version = getattr(request, "_kyoso_content_version", None)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(CONTENT_VERSION_KEY, version, None, version=SITE_ROOT_PATHS_CACHE_VERSION):
            version = cache.get(CONTENT_VERSION_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION) or version
        if request is not None:
            request._kyoso_content_version = version
    return version


def bump_content_version() -> None:
    """Make everything cached under the content version unreachable."""
    cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, None, version=SITE_ROOT_PATHS_CACHE_VERSION)


def clear_chrome(**kwargs) -> None:
    from django.conf import settings

    cache.delete_many(
        [CHROME_KEY.format(lang=code) for code, _name in settings.LANGUAGES], version=SITE_ROOT_PATHS_CACHE_VERSION
    )


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


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="kyoso_chrome_save")
    post_delete.connect(_on_change, dispatch_uid="kyoso_chrome_delete")


def resolve_model(label: str):
    from django.apps import apps

    return apps.get_model(label) if label else None


# Joins each page type needs for its own template, used when routing.
ROUTE_SELECT_RELATED = {
    "seeds.seedpage": ("department", "contact_cm", "locale"),
}
# (A seed's fields and researchers are read only when its cached fragments
# are rendered afresh: see seeds/templates/seeds/seed_page.html.)
ROUTE_PREFETCH_RELATED: dict[str, tuple[str, ...]] = {}


def fast_route(request, path: str):
    """Find the page for `path` in this language with one query (two for
    pages below the second level), or None to let Wagtail route as usual."""
    chrome = site_chrome(request)
    if chrome is None:
        return None
    components = [c for c in path.split("/") if c]
    url_path = chrome["home"]["url_path"] + "".join(f"{c}/" for c in components)
    label = None
    parent = None
    if not components:
        label = chrome["home"]["model"]
    elif len(components) <= 2:
        parent = next(
            (t for t in chrome["top"] if t["url_path"] == chrome["home"]["url_path"] + components[0] + "/"), None
        )
        if parent is None:
            return None
        label = parent["model"] if len(components) == 1 else parent["child_model"]
    # The chrome knows the ids of the home and top-level pages; below them the
    # indexed slug narrows the search (url_path has no index of its own).
    if not components:
        where = {"pk": chrome["home"]["id"]}
    elif len(components) == 1 and parent is not None:
        where = {"pk": parent["id"]}
    else:
        where = {"slug": components[-1], "url_path": url_path}
    model = resolve_model(label) if label else None
    page = _routed_page(request, model, label, where, chrome["locale_id"], url_path)
    if page is None:
        return None
    page._kyoso_chrome_paths = (chrome.get("restricted_paths"), chrome.get("alias_paths"))
    if isinstance(page, RoutablePageMixin):
        # Its own router picks the view for the page's root URL.
        return page.route(request, [])
    return page, [], {}


def _find_page(model, label, where: dict, locale_id: int):
    if model is None:
        base = Page.objects.filter(**where, locale_id=locale_id, live=True).first()
        return base.specific if base is not None else None
    queryset = model.objects.filter(**where, locale_id=locale_id, live=True)
    related = ROUTE_SELECT_RELATED.get(label)
    prefetch = ROUTE_PREFETCH_RELATED.get(label)
    if related:
        queryset = queryset.select_related(*related)
    if prefetch:
        queryset = queryset.prefetch_related(*prefetch)
    return queryset.first()


def _routed_page(request, model, label, where: dict, locale_id: int, url_path: str):
    """The live page at `url_path`, kept in the per-process fragment cache
    under the content version (any page save, publication, unpublication or
    view restriction makes it unreachable): each request gets its own copy,
    unpickled, and still renders it afresh."""
    from .fragments import fragments, versioned_key

    key = versioned_key(request, "route", url_path, locale_id, label)
    cache = fragments()
    page = cache.get(key)
    if page is None:
        page = _find_page(model, label, where, locale_id)
        if page is not None:
            # A page that cannot be pickled is simply read each time.
            with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
                cache.set(key, page)
    return page


class ChromeViewRestrictionsMixin:
    """For page models: when the page was routed with the chrome, which lists
    every restricted page and every alias, a page with neither above it has no
    view restriction, and Wagtail's check (two queries per request) is skipped."""

    def get_view_restrictions(self):
        restricted, aliases = getattr(self, "_kyoso_chrome_paths", (None, None))
        if (
            restricted is not None
            and aliases is not None
            and self.alias_of_id is None
            and not any(self.path.startswith(p) for p in [*restricted, *aliases])
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
