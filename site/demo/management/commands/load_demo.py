"""Load the demo content. Repeatable: a second run changes nothing that exists.

Each app that has demo content has a step here, a module of `demo` with
`load(stdout) -> None`; the steps run in order, each in its own transaction.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from demo import billing, events, home, membership, pages

DEMO_STEPS = [home, pages, events, membership, billing]


class Command(BaseCommand):
    help = "Load (or top up) the demo content in Japanese and English."

    def handle(self, *args, **options):
        for module in DEMO_STEPS:
            with transaction.atomic():
                module.load(self.stdout)
        if connection.vendor == "sqlite":
            # Without table statistics SQLite picks the two-valued locale index over the
            # slug and seed listing indexes (bench/README); PostgreSQL's autovacuum
            # gathers its own, SQLite never does.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
