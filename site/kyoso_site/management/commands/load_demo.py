"""Load the demo content. Repeatable: a second run changes nothing that exists.

Each app that has demo content contributes a step in `kyoso_site.demo`; the
steps run in order, each in its own transaction.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import connection, transaction

# Modules of kyoso_site.demo, each with `load(stdout) -> None`. A step whose
# module is not there yet is skipped, so apps can add theirs independently.
DEMO_STEPS = [
    "kyoso_site.demo.home",
    "kyoso_site.demo.pages",
    "kyoso_site.demo.events",
    "kyoso_site.demo.membership",
    "kyoso_site.demo.billing",
]


class Command(BaseCommand):
    help = "Load (or top up) the demo content in Japanese and English."

    def handle(self, *args, **options):
        for name in DEMO_STEPS:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            with transaction.atomic():
                module.load(self.stdout)
        if connection.vendor == "sqlite":
            # Without table statistics SQLite picks the two-valued locale index over the
            # slug and seed listing indexes (bench/README); PostgreSQL's autovacuum
            # gathers its own, SQLite never does.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
