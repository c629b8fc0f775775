from django.urls import NoReverseMatch, reverse
from seeds.models import SeedIndexPage, SeedPage
from seeds.selectors import seeds_public

FEATURED_COUNT = 6


def home_context(*, home, request) -> dict:
    """Featured seeds in the home page's language (the newest when none are
    chosen), the seed catalogue's URL and where the membership call leads."""
    keys = list(home.featured_seeds.values_list("seed__translation_key", flat=True)[:FEATURED_COUNT])
    seeds = seeds_public(locale=home.locale)
    if keys:
        by_key = {s.translation_key: s for s in seeds.filter(translation_key__in=keys)}
        featured = [by_key[k] for k in keys if k in by_key]
    else:
        featured = list(seeds.order_by("-first_published_at")[:FEATURED_COUNT])
    seed_index = SeedIndexPage.objects.live().child_of(home).first()
    try:
        join_url = reverse("membership:join")
    except NoReverseMatch:
        join_url = None
    return {
        "featured_seeds": featured,
        "seed_index": seed_index,
        "seed_count": SeedPage.objects.live().public().filter(locale=home.locale).count(),
        "join_url": join_url,
    }
