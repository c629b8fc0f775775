"""Announcements: every app's signals are sent after the change commits."""

import functools

from django.db import transaction
from django.dispatch import Signal


def announce(signal: Signal, **kwargs) -> None:
    """Send `signal` once the current transaction commits (at once outside one), never for
    a change that rolled back. With `send_robust`: a receiver cannot veto the change or be
    required for it, and one that fails is logged (django.dispatch)."""
    transaction.on_commit(functools.partial(signal.send_robust, **kwargs))
