"""Per-process cache of data and HTML that every anonymous request of a page
shares, under keys that name what they depend on.

Each key carries the content version (kyoso_site.chrome.content_version:
bumped on every page, view restriction, taxonomy or person change, and again
after the commit) and the language, so a change anywhere makes every older
entry unreachable instead of having to find and delete it, and no process can
serve another's stale copy. Nothing per user goes in here: the CSRF token,
the signed-in user's name, the members-only section and form errors stay per
request in the templates around these fragments.

Only what every visitor may see goes in: a preview (an unsaved edit, a draft,
a revision) and a page under a view restriction render with the `uncached`
cache (Django's DummyCache), never reading or writing the shared one; see
`cache_alias`.
"""

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.utils.translation import get_language
from wagtail.models import Page

from . import chrome as site_chrome

TIMEOUT = 60 * 60
SHARED = "fragments"
UNCACHED = "uncached"
_MISSING = object()


def language() -> str:
    return (get_language() or "ja").split("-")[0]


def cache_alias(request, page, chrome: dict | None) -> str:
    """The cache (settings.CACHES) that what `page` renders for `request` may
    be kept in: the shared one only for the live, public page as anyone sees
    it; `UNCACHED` for a preview and for a page under a view restriction (on
    itself or above it) or an alias (whose restrictions are its source's).
    Wagtail's own serve still checks the restrictions on every request."""
    if request is None or getattr(request, "is_preview", False) or not isinstance(page, Page) or not page.live:
        return UNCACHED
    if page.alias_of_id:
        return UNCACHED
    if chrome is None:
        return UNCACHED if page.get_view_restrictions().exists() else SHARED
    # The chrome lists every restricted page and every alias (any change clears it).
    if any(page.path.startswith(path) for path in [*chrome["restricted_paths"], *chrome["alias_paths"]]):
        return UNCACHED
    return SHARED


class Fragments:
    """Where one response keeps what it may share: the cache `alias`
    (`cache_alias`) and the content version its keys carry."""

    def __init__(self, alias: str = UNCACHED, version: str = ""):
        self.alias, self.version = alias, version

    @property
    def cache(self):
        return caches[self.alias]

    def key(self, name: str, *parts: Any) -> str:
        """`name` for this language and content version, varied on `parts`."""
        text = "\n".join(str(p) for p in parts)
        digest = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:20]
        return f"{name}:{language()}:{self.version}:{digest}"

    def cached(self, name: str, *parts: Any, build: Callable[[], Any], timeout: int = TIMEOUT) -> Any:
        """`build()`'s result, computed once per key (with `UNCACHED`, every time)."""
        key = self.key(name, *parts)
        value = self.cache.get(key, _MISSING)
        if value is _MISSING:
            value = build()
            self.cache.set(key, value, timeout)
        return value

    def cached_until(self, name: str, *parts: Any, build: Callable[[], tuple[Any, float | None]]) -> Any:
        """Like `cached`, for what also changes with the clock: `build()` returns
        the value and the time (epoch seconds) at which it stops being true, such
        as the end of the first upcoming event listed, or None."""
        key = self.key(name, *parts)
        found = self.cache.get(key)
        now = time.time()
        if found is not None and (found[1] is None or now < found[1]):
            return found[0]
        value, until = build()
        timeout = TIMEOUT if until is None else max(1, min(TIMEOUT, int(until - now)))
        self.cache.set(key, (value, until), timeout)
        return value


NOTHING_SHARED = Fragments()


def of(context) -> Fragments:
    """The template context's `fragments` (set by `SharedFragmentsMixin`), else
    nothing shared."""
    return context.get("fragments") or NOTHING_SHARED


class SharedFragmentsMixin:
    """For page types whose templates keep fragments in a cache. The context
    gets `chrome` (this language's, kyoso_site.chrome) and `fragments`: the
    cache they may use (`cache_alias`: nothing shared for a preview or a
    restricted page) and the content version, for `{% wagtailpagecache …
    fragments.version using=fragments.alias %}` and `Fragments.cached`."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chrome = site_chrome.site_chrome(request)
        version = chrome["content_version"] if chrome is not None else site_chrome.content_version()
        context["chrome"] = chrome
        context["fragments"] = Fragments(cache_alias(request, self, chrome), version)
        return context


class Deferred:
    """A value computed only when first asked for (`deferred()`), for what
    only a cache miss needs, such as a query set whose building alone costs
    a millisecond. Templates pass it on as it is: they do not call it."""

    do_not_call_in_templates = True

    def __init__(self, build: Callable[[], Any]):
        self._build = build
        self._value = _MISSING

    def __call__(self) -> Any:
        if self._value is _MISSING:
            self._value = self._build()
        return self._value


def resolve(value: Any) -> Any:
    return value() if isinstance(value, Deferred) else value
