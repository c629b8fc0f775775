"""Top the demo catalogue up to N seeds (default 10,000) in Japanese.

Run through manage.py shell with bench settings; pages are added live
without revisions, which is what matters for serving them."""

import os
import random
import sys
import time

from django.db import transaction
from people.models import Person
from seeds.models import Department, ResearchField, SeedIndexPage, SeedPage

from kyoso_site.demo.seed_data import TOPICS

target = int(os.environ.get("BENCH_SEEDS", "10000"))
index = SeedIndexPage.objects.get(locale__language_code="ja")
have = SeedPage.objects.filter(locale=index.locale).count()
fields = list(ResearchField.objects.all())
departments = list(Department.objects.all())
researchers = list(Person.objects.filter(role="researcher"))
cms = list(Person.objects.exclude(role="researcher"))
topics = [t for ts in TOPICS.values() for t in ts]
rng = random.Random(42)
start = time.time()
n = have
while n < target:
    with transaction.atomic():
        for _ in range(min(500, target - n)):
            n += 1
            dept, ja_title, _en, ja_sum, _es, ja_kw, _ek = topics[n % len(topics)]
            page = index.add_child(
                instance=SeedPage(
                    title=f"{ja_title}（第{n}報）",
                    slug=f"bench-{n:05d}",
                    summary=ja_sum,
                    locale=index.locale,
                    department=departments[n % len(departments)],
                    keywords=ja_kw,
                    stage=["seed", "module", "unit"][n % 3],
                    trl=1 + n % 9,
                    collab_joint=n % 2 == 0,
                    collab_license=n % 3 == 0,
                    contact_cm=cms[n % len(cms)],
                    body=[("text", f"<p>{ja_sum}</p>")],
                    members_detail="<p>会員限定</p>",
                )
            )
            page.research_fields.set([fields[n % len(fields)]])
            page.researchers.set(rng.sample(researchers, 2))
    sys.stdout.write(f"\r{n} seeds ({time.time() - start:.0f}s)")
    sys.stdout.flush()
print(f"\nseeds in Japanese: {SeedPage.objects.filter(locale=index.locale).count()}")
