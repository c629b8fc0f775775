"""Reads for the seed screens, each in a fixed number of queries."""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.functional import SimpleLazyObject
from people.models import PeopleIndexPage, Person
from wagtail.models import Page, PageViewRestriction

from kyoso_site.fragments import NOTHING_SHARED, Deferred, Fragments, resolve
from membership.selectors import SEED_DETAILS, user_has_entitlement

from .models import Department, ResearchField, SeedIndexPage, SeedPage

PAGE_SIZE = 12
MAX_PAGE_SIZE = 48
MAX_SEED_DEPTH = 8
COUNT_TIMEOUT = 60 * 60


def _not_restricted() -> Exists:
    """A view restriction on the page or an ancestor, inside the query itself
    (Wagtail's `.public()` costs a query of its own each time).

    The ancestors' paths are the prefixes of the page's path, so each is an
    exact match on the unique path index: with the table's statistics known
    (ANALYZE), a `startswith` join made SQLite scan every page for every seed.
    Seeds sit at depth 4 (root, home, index, seed); the bound leaves room."""
    prefixes = Q()
    for depth in range(1, MAX_SEED_DEPTH + 1):
        prefixes |= Q(page__path=Substr(OuterRef("path"), 1, depth * Page.steplen))
    return Exists(PageViewRestriction.objects.filter(prefixes))


def exclude_restricted(queryset: QuerySet, *, chrome: dict | None = None) -> QuerySet:
    """Leave out pages under a view restriction (on themselves or an ancestor).

    The site chrome carries the restricted paths (usually none), so the query
    needs no correlated subquery; without it, the subquery does the work."""
    if chrome is None or "restricted_paths" not in chrome:
        return queryset.exclude(_not_restricted())
    for path in chrome["restricted_paths"]:
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def with_card_fields(queryset: QuerySet[SeedPage]) -> QuerySet[SeedPage]:
    """What a seed card shows joined in, the rest of the seed left out."""
    return (
        queryset.select_related("department", "locale")
        .prefetch_related("research_fields")
        .defer("members_detail", "search_text", "body", "intellectual_property")
    )


def seeds_public(*, locale, chrome: dict | None = None) -> QuerySet[SeedPage]:
    """Live, public seeds of one language, with what a card shows joined in."""
    return with_card_fields(exclude_restricted(SeedPage.objects.live(), chrome=chrome).filter(locale=locale))


def seed_count(*, queryset: QuerySet[SeedPage] | Deferred, key: str, fragments: Fragments = NOTHING_SHARED) -> int:
    """`queryset.count()`, kept in this process's fragment cache under the
    content version (see kyoso_site.fragments), so any page change recounts."""
    return fragments.cached("seed_count", key, build=lambda: resolve(queryset).count(), timeout=COUNT_TIMEOUT)


def seeds_filtered(*, queryset: QuerySet[SeedPage], filters: dict) -> QuerySet[SeedPage]:
    """Apply the listing's filters; the keyword matches public text only."""
    if filters.get("field"):
        queryset = queryset.filter(research_fields__slug=filters["field"])
    if filters.get("department"):
        queryset = queryset.filter(department__slug=filters["department"])
    if filters.get("stage"):
        queryset = queryset.filter(stage=filters["stage"])
    if filters.get("collaboration"):
        queryset = queryset.filter(**{f"collab_{filters['collaboration']}": True})
    for word in (filters.get("q") or "").split():
        queryset = queryset.filter(search_text__icontains=word)
    # The tie-breaker is the page table's own id (the same value as pk) so
    # that the listing indexes (migration 0002) give the whole order.
    if filters.get("sort") == "title":
        return queryset.order_by("title", "id")
    return queryset.order_by("-first_published_at", "-id")


def _taxonomies(chrome: dict | None) -> tuple[list, list]:
    if chrome is not None:
        return (
            [ResearchField(slug=s, name=n, name_en=e) for s, n, e in chrome["fields"]],
            [Department(slug=s, name=n, name_en=e) for s, n, e in chrome["departments"]],
        )
    return list(ResearchField.objects.all()), list(Department.objects.all())


class _DeferredRows:
    """What the paginator slices: a page of a query set built only when the
    page's cards need it (seeds.templatetags.seed_cards)."""

    ordered = True  # seeds_filtered always orders

    def __init__(self, queryset: Deferred):
        self.queryset = queryset

    def __getitem__(self, index):
        return Deferred(lambda: self.queryset()[index])


def seed_listing(
    *,
    index_page: SeedIndexPage,
    params,
    request=None,
    chrome: dict | None = None,
    fragments: Fragments = NOTHING_SHARED,
) -> dict:
    """Context for the seed list: form, page of results, counts and links."""
    from .forms import SeedFilterForm

    def make_form() -> SeedFilterForm:
        fields, departments = _taxonomies(chrome)
        return SeedFilterForm(params or None, fields=fields, departments=departments)

    # The form is built only when its cached HTML (seed_index_page.html) or
    # the cleaned values of this query string are not cached yet.
    filter_query = urlencode(sorted(params.lists()) if hasattr(params, "lists") else sorted(params.items()))
    form = SimpleLazyObject(make_form)
    if not params:
        filters = {}
    else:
        filters = fragments.cached("seed_filter_values", filter_query, build=lambda: form.cleaned_or_empty())
    # Built only when the count or this page's cards are not cached yet.
    queryset = Deferred(
        lambda: seeds_filtered(
            queryset=seeds_public(locale=index_page.locale_id, chrome=chrome).child_of(index_page), filters=filters
        )
    )
    try:
        per_page = min(max(int(params.get("per_page", PAGE_SIZE)), 1), MAX_PAGE_SIZE)
    except (TypeError, ValueError):
        per_page = PAGE_SIZE
    paginator = Paginator(_DeferredRows(queryset), per_page)
    # Counting every matching seed is the costliest query of the page.
    paginator.count = seed_count(
        queryset=queryset,
        key=f"index:{index_page.pk}:{urlencode(sorted(filters.items()))}",
        fragments=fragments,
    )
    try:
        page_obj = paginator.page(params.get("page") or 1)
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    # Names this page of this listing, for the cards' keys and the filter
    # form's HTML in the fragment cache (kyoso_site.fragments).
    listing = f"index:{index_page.pk}:{urlencode(sorted(filters.items()))}:{per_page}:{page_obj.number}"
    # Shareable URLs: only the active filters, in a fixed order.
    base = {k: filters[k] for k in ("q", "field", "department", "stage", "collaboration", "sort") if k in filters}
    if per_page != PAGE_SIZE:
        base["per_page"] = per_page

    def page_url(number: int) -> str:
        query = dict(base, **({"page": number} if number > 1 else {}))
        return "?" + urlencode(query) if query else "?"

    return {
        "filter_form": form,
        "filters": filters,
        "seeds": page_obj.object_list,
        "page_obj": page_obj,
        "paginator": paginator,
        "result_count": paginator.count,
        # Read only where the results' cached fragment is rendered afresh.
        "page_links": SimpleLazyObject(
            lambda: (
                [
                    {"number": n, "url": page_url(n), "current": n == page_obj.number}
                    for n in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
                    if isinstance(n, int)
                ]
                if paginator.num_pages > 1
                else []
            )
        ),
        "prev_url": page_url(page_obj.previous_page_number()) if page_obj.has_previous() else None,
        "next_url": page_url(page_obj.next_page_number()) if page_obj.has_next() else None,
        "canonical_query": page_url(page_obj.number) if base or page_obj.number > 1 else "",
        "listing": listing,
        # The filter form shows what the query string says (values, errors).
        "filter_query": filter_query,
    }


def user_sees_seed_details(*, user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user_has_entitlement(user=user, entitlement=SEED_DETAILS)))


def _seed_links(*, seed: SeedPage, request, chrome: dict | None) -> dict:
    """This seed's translations (language code → URL, for hreflang and the
    language switcher) and its related seeds in this seed's language (the
    links may point at another language's pages, as translations copy them),
    in one query."""
    related_keys = seed.related_seeds.through.objects.filter(from_seedpage_id=seed.pk).values(
        "to_seedpage__translation_key"
    )
    rows = list(
        exclude_restricted(SeedPage.objects.live(), chrome=chrome)
        .filter(Q(translation_key=seed.translation_key) | Q(translation_key__in=related_keys, locale_id=seed.locale_id))
        .select_related("locale")
        .only("title", "summary", "url_path", "locale", "path", "depth", "slug", "translation_key")
        .order_by("title")
    )
    translations = {}
    for row in rows:
        if row.translation_key == seed.translation_key:
            url = row.get_url(request)
            if url:
                translations[row.locale.language_code] = url
    related = [
        {"title": r.title, "summary": r.summary, "url": r.get_url(request) or ""}
        for r in rows
        if r.translation_key != seed.translation_key
    ]
    return {"translations": translations, "related": related}


def _people_index_url(*, seed: SeedPage, request, chrome: dict | None) -> str:
    if chrome is not None and chrome["locale_id"] == seed.locale_id:
        return next((t["url"] for t in chrome["top"] if t["model"] == "people.peopleindexpage"), "")
    people_index = PeopleIndexPage.objects.live().filter(locale_id=seed.locale_id).first()
    return (people_index.get_url(request) or "") if people_index else ""


def seed_detail_context(
    *, seed: SeedPage, request, chrome: dict | None = None, fragments: Fragments = NOTHING_SHARED
) -> dict:
    """Researchers, CM, fields and related seeds (in the page's language).

    The public parts of the page are rendered once per seed, language and
    content version into the fragment cache (seeds/seed_page.html); what they
    need is read lazily, only when a fragment is rendered afresh. The seed's
    translations and related seeds are kept there too: no query on a warm
    request. Whether the user sees the members-only detail is per request."""
    links = fragments.cached(
        "seed_links", seed.pk, build=lambda: _seed_links(seed=seed, request=request, chrome=chrome)
    )
    people_url = SimpleLazyObject(lambda: _people_index_url(seed=seed, request=request, chrome=chrome))
    return {
        "people_index_url": people_url,
        "researchers": SimpleLazyObject(lambda: list(seed.researchers.all())),
        "research_fields": SimpleLazyObject(lambda: list(seed.research_fields.all())),
        "related": links["related"],
        "show_members_detail": user_sees_seed_details(user=request.user),
        # Read by kyoso_tags.page_translation_urls (hreflang, language switcher).
        "translation_urls": links["translations"],
    }


def seeds_for_person(*, person: Person, locale) -> list[SeedPage]:
    return list(seeds_public(locale=locale).filter(researchers=person).order_by("title"))
