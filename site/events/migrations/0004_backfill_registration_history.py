"""Give every registration made before the status history existed its first history row:
its current status, at its registration time, by no one, with a neutral note code that
the admin renders in the reader's language (RegistrationStatusChange.BACKFILL_NOTE)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

# Kept in step with events.models.RegistrationStatusChange.BACKFILL_NOTE; a migration
# must not import the live model.
BACKFILL_NOTE = "recorded-before-history"


def backfill(apps, schema_editor):
    EventRegistration = apps.get_model("events", "EventRegistration")
    RegistrationStatusChange = apps.get_model("events", "RegistrationStatusChange")
    without_history = EventRegistration.objects.filter(status_changes__isnull=True)
    rows = [
        RegistrationStatusChange(registration_id=pk, from_status="", to_status=status, note=BACKFILL_NOTE)
        for pk, status in without_history.values_list("pk", "status").iterator()
    ]
    RegistrationStatusChange.objects.bulk_create(rows, batch_size=500)
    # changed_at is auto_now_add, so the registration time is set afterwards.
    RegistrationStatusChange.objects.filter(note=BACKFILL_NOTE).update(
        changed_at=Subquery(EventRegistration.objects.filter(pk=OuterRef("registration_id")).values("created_at")[:1])
    )


def remove_backfill(apps, schema_editor):
    apps.get_model("events", "RegistrationStatusChange").objects.filter(note=BACKFILL_NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0003_registration_consent")]

    operations = [migrations.RunPython(backfill, remove_backfill)]
