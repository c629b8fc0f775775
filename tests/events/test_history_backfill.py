"""Migration 0004 gives registrations made before the status history their first row."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0003_registration_consent")]
AFTER = [("events", "0004_backfill_registration_history")]
JST = ZoneInfo("Asia/Tokyo")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_registrations_get_one_first_history_row_and_new_ones_are_left_alone(upcoming_event):
    from events.models import EventRegistration, RegistrationStatusChange
    from events.services import registration_create

    kept = registration_create(
        event=upcoming_event["ja"],
        name="山田 花子",
        email="hanako@example.co.jp",
        company="",
        language_code="ja",
    )
    try:
        old_apps = _migrate(BEFORE)
        OldRegistration = old_apps.get_model("events", "EventRegistration")
        event_id = kept.event_id
        registered = OldRegistration.objects.create(
            event_id=event_id, name="佐藤 一郎", email="ichiro@example.co.jp", language_code="ja"
        )
        cancelled = OldRegistration.objects.create(
            event_id=event_id, name="John Smith", email="john@example.com", language_code="en", status="cancelled"
        )
        made_at = datetime(2026, 4, 1, 9, 30, tzinfo=JST)
        OldRegistration.objects.filter(pk__in=[registered.pk, cancelled.pk]).update(created_at=made_at)
    finally:
        _migrate(AFTER)

    assert RegistrationStatusChange.objects.filter(registration_id=kept.pk).count() == 1
    for pk, status in ((registered.pk, "registered"), (cancelled.pk, "cancelled")):
        (row,) = RegistrationStatusChange.objects.filter(registration_id=pk)
        assert (row.from_status, row.to_status, row.changed_by, row.changed_at) == ("", status, None, made_at)

    row = EventRegistration.objects.get(pk=cancelled.pk).status_changes.get()
    with translation.override("ja"):
        assert "履歴の記録開始前" in str(row) and "登録者" not in str(row)
    with translation.override("en"):
        assert "recorded before the history was kept" in str(row)

    # Running the data migration again (back and forward) adds nothing.
    _migrate(BEFORE)
    assert RegistrationStatusChange.objects.filter(registration_id=cancelled.pk).count() == 0
    _migrate(AFTER)
    assert RegistrationStatusChange.objects.count() == 3
