"""Run the daily membership work: renewal reminders (60/30/7 days), renewal due
(billing issues the invoice), grace after the term, lapse after the grace period.

Idempotent: run it from cron as often as you like, e.g. `15 6 * * * manage.py membership_daily`.
"""

import datetime as dt

from django.core.management.base import BaseCommand

from membership.services import membership_daily


class Command(BaseCommand):
    help = "Send renewal reminders and move unpaid memberships to grace and lapsed (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        done = membership_daily(today=today)
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in done.items()))
