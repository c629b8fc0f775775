from django.urls import NoReverseMatch, reverse
from seeds.models import SeedIndexPage
from seeds.selectors import seed_count as seeds_count
from seeds.selectors import seeds_public

from kyoso_site.chrome import site_chrome

FEATURED_COUNT = 6


def home_context(*, home, request) -> dict:
    """Featured seeds in the home page's language (the newest when none are
    chosen), the seed catalogue's URL and where the membership call leads."""
    seeds = seeds_public(locale=home.locale_id, request=request)
    seed_count = seeds_count(queryset=seeds, key=f"locale:{home.locale_id}", request=request)
    featured: list = []
    if seed_count:
        # Chosen seeds may be another language's pages: show this language's versions.
        chosen = home.featured_seeds.values("seed__translation_key")
        by_key = {s.translation_key: s for s in seeds.filter(translation_key__in=chosen)}
        if by_key:
            order = list(home.featured_seeds.values_list("seed__translation_key", flat=True))
            featured = [by_key[k] for k in order if k in by_key][:FEATURED_COUNT]
        else:
            featured = list(seeds.order_by("-first_published_at")[:FEATURED_COUNT])
    chrome = site_chrome(request)
    seed_index_url = next(
        (t["url"] for t in (chrome or {}).get("top", []) if t["model"] == "seeds.seedindexpage"), None
    )
    if chrome is None or chrome["locale_id"] != home.locale_id:
        seed_index = SeedIndexPage.objects.live().child_of(home).first()
        seed_index_url = seed_index.get_url(request) if seed_index else None
    try:
        join_url = reverse("membership:join")
    except NoReverseMatch:
        join_url = None
    return {
        "featured_seeds": featured,
        "seed_index_url": seed_index_url,
        "seed_count": seed_count,
        "join_url": join_url,
    }
