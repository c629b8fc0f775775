"""No overbooking when many people take the last seats at the same moment."""

import threading

import pytest
from django.db import connection, connections
from events.models import EventRegistration
from events.services import EventFull, registration_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_registrations_never_exceed_capacity(upcoming_event):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite shares one cache between threads: no real concurrency to test")
    event = upcoming_event["ja"]  # 2 seats
    barrier = threading.Barrier(6)
    outcomes: list[str] = []

    def register(n: int) -> None:
        try:
            barrier.wait()
            registration_create(event=event, name=f"P{n}", email=f"p{n}@example.com", language_code="ja")
            outcomes.append("ok")
        except EventFull:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 4 + ["ok"] * 2
    assert EventRegistration.objects.count() == 2
