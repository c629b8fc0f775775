"""A django-tasks backend for tests: a queue that cannot take work (its database is down)."""

from django.db import OperationalError
from django_tasks.backends.base import BaseTaskBackend


class UnavailableBackend(BaseTaskBackend):
    def enqueue(self, task, args, kwargs):
        raise OperationalError("the task queue is unavailable")
