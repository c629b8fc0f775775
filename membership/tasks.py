"""Scheduled work as a django-tasks task (enqueue it daily, or run the command from cron)."""

from django_tasks import task

from .services import membership_daily


@task()
def membership_daily_task() -> dict[str, int]:
    return membership_daily()
