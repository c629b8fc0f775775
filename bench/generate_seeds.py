"""Top the demo catalogue up to N seeds per language (BENCH_SEEDS, default 10,000).

Each generated seed is a live, routable Wagtail page in Japanese with its
English translation (same translation key), filed like the demo seeds: fields,
department, researchers, contact CM, collaboration, patents, related seeds, a
body in each language, and a published revision.

Page by page (`add_child`, `save_revision().publish()`) this took about 18
minutes for 10,000 seeds. Here the rows are written in bulk instead: the
treebeard paths are computed from the index page's last child, the page and
seed rows, their many-to-many rows and their revisions are inserted a batch at
a time, and the index's `numchild` is updated once per batch.

Run it with the bench settings: `python bench/generate_seeds.py` (bench/run.sh
does), or call `generate(target=...)`.
"""

import datetime
import os
import sys
import time
import uuid

BATCH = 1000


def _insert_rows(model, objs, connection) -> None:
    """Insert the table of `model` itself (not its parents) for `objs`, which
    already carry their parent's primary key. Django's bulk_create refuses
    multi-table inherited models, so the child rows are written here."""
    fields = model._meta.local_concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 (names from the model)


def _child_paths(index, count: int) -> list[str]:
    from wagtail.models import Page

    last = (
        Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    start = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
    return [Page._get_path(index.path, index.depth + 1, start + i) for i in range(count)]


# What differs between the two languages of a generated seed.
TEXTS = {
    "ja": {
        "numbered": "{title}（第{n}報）",
        "patent": "特願2025-{number}",
        "members_detail": "<p>【会員限定】試作データと共同研究の体制案。</p>",
    },
    "en": {
        "numbered": "{title} (report {n})",
        "patent": "JP 2025-{number}",
        "members_detail": "<p>[Members only] Prototype data and the proposed collaboration.</p>",
    },
}


def _seed_page(*, language: str, index, path: str, shared: dict, topic: tuple, n: int):
    """Seed number `n` in one language, under that language's seed index."""
    from seeds.models import SeedPage

    from demo.pages import seed_body

    _dept, ja_title, en_title, ja_sum, en_sum, ja_kw, en_kw = topic
    title, summary, keywords = (ja_title, ja_sum, ja_kw) if language == "ja" else (en_title, en_sum, en_kw)
    texts = TEXTS[language]
    numbered = texts["numbered"].format(title=title, n=n)
    status = ["applied", "registered", "pct", "licensed"][n % 4]
    patent = {"number": texts["patent"].format(number=200000 + n), "title": title, "status": status}
    return SeedPage(
        **shared,
        path=path,
        locale_id=index.locale_id,
        url_path=f"{index.url_path}{shared['slug']}/",
        title=numbered,
        draft_title=numbered,
        summary=summary,
        keywords=keywords,
        body=seed_body(language == "ja", title, summary, n),
        intellectual_property=[("patent", patent)] if n % 2 else [],
        members_detail=texts["members_detail"],
    )


def generate(*, target: int, out=sys.stdout) -> int:
    """Add seeds until each language has `target`; return how many were added."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone
    from people.models import Person
    from seeds.models import Department, ResearchField, SeedIndexPage, SeedPage
    from wagtail.models import Page, Revision

    from demo.pages import COLLABS, STAGES
    from demo.seed_data import TOPICS
    from kyoso_site.chrome import bump_content_version

    ja_index = SeedIndexPage.objects.select_related("locale").get(locale__language_code="ja")
    en_index = SeedIndexPage.objects.get(locale__language_code="en", translation_key=ja_index.translation_key)
    have = SeedPage.objects.filter(locale=ja_index.locale).count()
    if have >= target:
        return 0
    fields = {f.slug: f for f in ResearchField.objects.all()}
    departments = {d.slug: d for d in Department.objects.all()}
    researchers = list(Person.objects.filter(role="researcher").order_by("pk"))
    cms = list(Person.objects.exclude(role="researcher").order_by("pk"))
    topics = [(field, t) for field, ts in TOPICS.items() for t in ts]
    page_ct = ContentType.objects.get_for_model(Page)
    seed_ct = ContentType.objects.get_for_model(SeedPage)
    now = timezone.now()
    start = time.time()
    added = 0
    # Numbered after whatever bench seeds a previous run left.
    n = SeedPage.objects.filter(locale=ja_index.locale, slug__startswith="bench-").count()

    while have + added < target:
        size = min(BATCH, target - have - added)
        with transaction.atomic():
            ja_paths = _child_paths(ja_index, size)
            en_paths = _child_paths(en_index, size)
            ja_seeds: list[SeedPage] = []
            en_seeds: list[SeedPage] = []
            for i in range(size):
                n += 1
                field_slug, topic = topics[n % len(topics)]
                slug = f"bench-{n:05d}"
                published = now - datetime.timedelta(minutes=n)
                collabs = {COLLABS[n % 5], COLLABS[(n * 2 + 1) % 5]}
                shared = {
                    "slug": slug,
                    "translation_key": uuid.uuid4(),
                    "depth": ja_index.depth + 1,
                    "numchild": 0,
                    "live": True,
                    "has_unpublished_changes": False,
                    "first_published_at": published,
                    "last_published_at": published,
                    "latest_revision_created_at": published,
                    "content_type": seed_ct,
                    "department": departments[topic[0]],
                    "stage": STAGES[n % 3],
                    "trl": 1 + n % 9,
                    "contact_cm": cms[n % len(cms)],
                    **{f"collab_{c}": True for c in collabs},
                }
                for language, index, paths, batch in (
                    ("ja", ja_index, ja_paths, ja_seeds),
                    ("en", en_index, en_paths, en_seeds),
                ):
                    batch.append(
                        _seed_page(language=language, index=index, path=paths[i], shared=shared, topic=topic, n=n)
                    )
                for seed in (ja_seeds[-1], en_seeds[-1]):
                    seed._bench = {
                        "fields": [fields[field_slug]]
                        + ([fields["information-ai"]] if n % 7 == 0 and field_slug != "information-ai" else []),
                        "researchers": [researchers[n % len(researchers)]]
                        + ([researchers[(n + 5) % len(researchers)]] if n % 3 == 0 else []),
                    }
            seeds = ja_seeds + en_seeds
            for seed in seeds:
                seed.search_text = seed.public_text()
            bases = Page.objects.bulk_create(
                [
                    Page(**{f.attname: getattr(s, f.attname) for f in Page._meta.concrete_fields if f.attname != "id"})
                    for s in seeds
                ]
            )
            for seed, base in zip(seeds, bases, strict=True):
                seed.pk = seed.page_ptr_id = base.pk
            _insert_rows(SeedPage, seeds, connection)
            SeedPage.research_fields.through.objects.bulk_create(
                [
                    SeedPage.research_fields.through(seedpage_id=s.pk, researchfield_id=f.pk)
                    for s in seeds
                    for f in s._bench["fields"]
                ]
            )
            SeedPage.researchers.through.objects.bulk_create(
                [
                    SeedPage.researchers.through(seedpage_id=s.pk, person_id=p.pk)
                    for s in seeds
                    for p in s._bench["researchers"]
                ]
            )
            # Related seeds: the previous two Japanese seeds of this batch, from
            # both languages (translations copy the links, as in the demo).
            SeedPage.related_seeds.through.objects.bulk_create(
                [
                    SeedPage.related_seeds.through(from_seedpage_id=s.pk, to_seedpage_id=ja_seeds[j].pk)
                    for k, s in enumerate(seeds)
                    for j in (k % size - 1, k % size - 2)
                    if j >= 0
                ]
            )
            # The revision's content is the page with its links; given in
            # memory (modelcluster keeps them there) it costs no query per page.
            related = {s.pk: [ja_seeds[j] for j in (k % size - 1, k % size - 2) if j >= 0] for k, s in enumerate(seeds)}
            for s in seeds:
                s.research_fields.set(s._bench["fields"])
                s.researchers.set(s._bench["researchers"])
                s.related_seeds.set(related[s.pk])
            revisions = Revision.objects.bulk_create(
                [
                    Revision(
                        content_type=seed_ct,
                        base_content_type=page_ct,
                        object_id=str(s.pk),
                        created_at=s.latest_revision_created_at,
                        object_str=s.title,
                        content=s.serializable_data(),
                    )
                    for s in seeds
                ]
            )
            Page.objects.bulk_update(
                [
                    Page(pk=s.pk, latest_revision_id=r.pk, live_revision_id=r.pk)
                    for r, s in zip(revisions, seeds, strict=True)
                ],
                ["latest_revision", "live_revision"],
            )
            Page.objects.filter(pk__in=[ja_index.pk, en_index.pk]).update(numchild=F("numchild") + size)
        added += size
        out.write(f"\r{have + added} seeds per language ({time.time() - start:.0f}s)")
        out.flush()
    # Rows written in bulk send no signals: drop what was counted before.
    bump_content_version()
    out.write(f"\nseeds in Japanese: {SeedPage.objects.filter(locale=ja_index.locale).count()}\n")
    return added


if __name__ == "__main__":
    import django

    django.setup()
    generate(target=int(os.environ.get("BENCH_SEEDS", "10000")))
