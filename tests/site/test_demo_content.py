"""The demo content has portraits, event contacts and registrations with
their history, and a second run of load_demo duplicates none of them."""

import io

import pytest
from django.core.management import call_command
from events.models import EventPage, EventRegistration, RegistrationStatusChange
from people.models import Person
from wagtail.images.models import Image, Rendition

pytestmark = pytest.mark.django_db


def test_demo_people_events_and_registrations_and_a_repeat_run(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    people = Person.objects.count()
    assert people >= 28
    assert not Person.objects.filter(photo__isnull=True).exists()
    assert not Person.objects.filter(photo_alt="").exists() and not Person.objects.filter(photo_alt_en="").exists()
    assert Person.objects.filter(notification_language="en").exists()
    assert not EventPage.objects.filter(contact_cm__isnull=True).exists()
    registrations = list(EventRegistration.objects.order_by("pk"))
    assert len(registrations) == 4
    assert {r.language_code for r in registrations} == {"ja", "en"}
    assert registrations[-1].status == "cancelled"
    assert registrations[-1].status_changes.last().note

    counts = (Image.objects.count(), Rendition.objects.count(), RegistrationStatusChange.objects.count())
    assert counts == (people, 2 * people, 5)
    call_command("load_demo", stdout=io.StringIO())
    assert (Image.objects.count(), Rendition.objects.count(), RegistrationStatusChange.objects.count()) == counts
    assert EventRegistration.objects.count() == 4
    assert len(list(tmp_path.rglob("*.png"))) == 3 * people  # originals and two renditions each


def test_load_demo_leaves_table_statistics_for_sqlites_planner(tmp_path, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum gathers statistics itself")
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {row[0] for row in cursor.fetchall()}
    # The seed listing and page lookups choose their indexes from these statistics.
    assert {"seeds_seedpage", "wagtailcore_page"} <= analysed
