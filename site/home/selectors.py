from django.conf import settings
from django.db.models import Case, When
from django.urls import NoReverseMatch, reverse
from seeds.models import SeedIndexPage
from seeds.selectors import seed_count as seeds_count
from seeds.selectors import seeds_public

from kyoso_site.fragments import NOTHING_SHARED, Deferred, Fragments

from .models import HomeFeaturedSeed

FEATURED_COUNT = 6


def featured_seed_ids(*, home, seeds, fragments: Fragments = NOTHING_SHARED) -> list[int]:
    """This language's versions of the chosen seeds, in the chosen order (the
    newest when none are chosen), kept in the fragment cache under the content
    version: any page change, the home page's own included, picks them again."""

    def build() -> list[int]:
        # Chosen seeds may be another language's pages: show this language's versions.
        order = list(home.featured_seeds.values_list("seed__translation_key", flat=True))
        if not order:
            # A translation (simple_translation copies the page before any seed
            # is chosen) shows the translations of the seeds chosen on the
            # source-language home page: the default language's first.
            order = list(
                HomeFeaturedSeed.objects.filter(page__translation_key=home.translation_key)
                .exclude(page_id=home.pk)
                .order_by(
                    Case(When(page__locale__language_code=settings.LANGUAGE_CODE, then=0), default=1),
                    "page_id",
                    "sort_order",
                )
                .values_list("page_id", "seed__translation_key")
            )
            order = [key for page_id, key in order if page_id == order[0][0]] if order else []
        by_key = dict(seeds().filter(translation_key__in=order).values_list("translation_key", "pk"))
        ids = [by_key[k] for k in order if k in by_key][:FEATURED_COUNT]
        if not ids:
            ids = list(seeds().order_by("-first_published_at", "-id").values_list("pk", flat=True)[:FEATURED_COUNT])
        return ids

    return fragments.cached("home_featured", home.pk, build=build)


def _membership_guide_url(*, home, request) -> str | None:
    """The membership call leads to the public membership guide in the home page's language,
    or, on a site without one, to the member area."""
    from organization.models import MembershipGuidePage

    guide = MembershipGuidePage.objects.live().public().descendant_of(home).first()
    if guide is not None:
        return guide.get_url(request)
    try:
        return reverse("membership:dashboard")
    except NoReverseMatch:
        return None


def home_context(*, home, request, chrome: dict | None, fragments: Fragments = NOTHING_SHARED) -> dict:
    """Featured seeds in the home page's language (the newest when none are
    chosen), the seed catalogue's URL and where the membership call leads."""
    # Built only when something below is not cached yet.
    seeds = Deferred(lambda: seeds_public(locale=home.locale_id, chrome=chrome))
    seed_count = seeds_count(queryset=seeds, key=f"locale:{home.locale_id}", fragments=fragments)
    featured_ids = featured_seed_ids(home=home, seeds=seeds, fragments=fragments) if seed_count else []
    seed_index_url = next(
        (t["url"] for t in (chrome or {}).get("top", []) if t["model"] == "seeds.seedindexpage"), None
    )
    if chrome is None or chrome["locale_id"] != home.locale_id:
        seed_index = SeedIndexPage.objects.live().child_of(home).first()
        seed_index_url = seed_index.get_url(request) if seed_index else None
    join_url = fragments.cached(
        "home_join_url", home.pk, build=lambda: _membership_guide_url(home=home, request=request)
    )
    return {
        # The cards come from the fragment cache; the seeds themselves are
        # read only for cards not rendered yet (seeds.templatetags.seed_cards).
        "featured_seeds": Deferred(lambda: seeds().filter(pk__in=featured_ids)),
        "featured_ids": featured_ids,
        "featured_listing": f"home:{home.pk}",
        "seed_index_url": seed_index_url,
        "seed_count": seed_count,
        "join_url": join_url,
    }
