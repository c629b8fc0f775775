import hashlib

from django import template
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kyoso_site import fragments
from kyoso_site.fragments import Deferred, resolve
from kyoso_site.templatetags.kyoso_tags import chrome_of
from seeds.models import SeedPage
from seeds.selectors import with_card_fields

register = template.Library()

CARD_TEMPLATE = "seeds/includes/seed_card.html"
# What a card's cache key is made of (the title too, should it change
# without a new publication time, as a bulk update would).
KEY_FIELDS = ("pk", "last_published_at", "url_path", "locale_id", "title")


def _card_url(seed, chrome, request) -> str:
    """The seed's URL from its parent's (a top-level page the chrome knows),
    without Wagtail's per-page URL resolution; else Wagtail's."""
    if chrome is not None and seed.locale_id == chrome["locale_id"]:
        for top in chrome["top"]:
            if top["url"] and seed.url_path.startswith(top["url_path"]):
                return top["url"] + seed.url_path[len(top["url_path"]) :]
    return seed.get_url(request) or ""


def _chrome_token(chrome) -> str:
    # Cards show field and department names; renaming one rebuilds the chrome.
    # So do the URLs of the pages above them.
    if chrome is None:
        return "none"
    text = repr((chrome["fields"], chrome["departments"], chrome["home"], [t["url"] for t in chrome["top"]]))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:12]


@register.simple_tag(takes_context=True)
def seed_cards(context, seeds, order=None, listing=None) -> str:
    """The seeds' cards as `<li>` items, each rendered once per published
    version, URL, language and taxonomy names, then kept in this process's
    fragment cache (settings.CACHES["fragments"]): publishing a seed changes
    its `last_published_at`, so its card is rendered afresh. `order`, a list
    of primary keys, puts the cards in that order. `listing`, a text that
    names the query (the index, filters and page), keeps the cards' keys in
    the fragment cache too, under the content version: no query at all when
    every card is cached."""
    request = context.get("request")
    shared = fragments.of(context)
    chrome = chrome_of(context)
    lang = (get_language() or "ja").split("-")[0]
    token = _chrome_token(chrome)
    deferred = isinstance(seeds, Deferred)
    if deferred or isinstance(seeds, QuerySet):
        # Only what the keys need; whole seeds (with their joins) only for
        # the cards not in the cache (a Deferred query set is built only then).
        def read_keys() -> list[tuple]:
            return list(resolve(seeds).prefetch_related(None).values_list(*KEY_FIELDS))

        if listing is not None and request is not None:
            keys = list(shared.cached("seed_card_keys", listing, build=read_keys))
        else:
            keys = read_keys()
        full = None
    else:
        full = {seed.pk: seed for seed in seeds}
        keys = [tuple(getattr(seed, name) for name in KEY_FIELDS) for seed in full.values()]
    if order is not None:
        # In the given order of primary keys rather than the query's.
        rank = {pk: i for i, pk in enumerate(order)}
        keys.sort(key=lambda row: rank.get(row[0], len(rank)))
    if not keys:
        return ""
    items = []
    for pk, published, url_path, locale_id, title in keys:
        version = published.isoformat() if published else "-"
        digest = hashlib.md5(f"{url_path}\n{locale_id}\n{title}".encode(), usedforsecurity=False).hexdigest()[:16]
        items.append((f"seed_card:{lang}:{pk}:{version}:{digest}:{token}", pk))
    cache = shared.cache
    found = cache.get_many([key for key, _pk in items])
    missing = [pk for key, pk in items if key not in found]
    if missing:
        if full is None:
            # The listed seeds among them, as a card shows them (the listing's
            # query is sliced: it cannot be filtered again).
            full = {seed.pk: seed for seed in with_card_fields(SeedPage.objects.filter(pk__in=missing))}
        fresh = {}
        for key, pk in items:
            if key not in found and pk in full:
                seed = full[pk]
                context = {"seed": seed, "seed_url": _card_url(seed, chrome, request)}
                fresh[key] = found[key] = render_to_string(CARD_TEMPLATE, context)
        cache.set_many(fresh)
    return mark_safe("".join(f"<li>{found[key]}</li>" for key, _pk in items if key in found))  # noqa: S308
