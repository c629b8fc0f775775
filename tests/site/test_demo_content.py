"""The demo content has portraits, event contacts and registrations with
their history, and a second run of load_demo duplicates none of them."""

import io

import pytest
from django.core.management import call_command
from events.models import EventPage, EventRegistration, RegistrationStatusChange
from people.models import Person
from seeds.models import SeedPage
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

    # One seed in three has a figure: one image shared by its two translations,
    # each with its own caption and alternative text.
    figures = {}
    for seed in SeedPage.objects.select_related("locale"):
        for block in seed.body:
            if block.block_type == "image":
                figures.setdefault(block.value["image"].pk, {})[seed.locale.language_code] = block.value
    seeds_ja = SeedPage.objects.filter(locale__language_code="ja").count()
    assert len(figures) >= seeds_ja // 3 >= 20
    for values in figures.values():
        assert values["ja"]["caption"].startswith("図1") and values["en"]["caption"].startswith("Figure 1.")
        assert values["ja"]["alt"] and values["en"]["alt"] and values["ja"]["alt"] != values["en"]["alt"]

    counts = (Image.objects.count(), Rendition.objects.count(), RegistrationStatusChange.objects.count())
    # Portraits with two renditions each, figures with the one the seed page shows.
    assert counts == (people + len(figures), 2 * people + len(figures), 5)
    call_command("load_demo", stdout=io.StringIO())
    assert (Image.objects.count(), Rendition.objects.count(), RegistrationStatusChange.objects.count()) == counts
    assert EventRegistration.objects.count() == 4
    assert len(list(tmp_path.rglob("*.png"))) == 3 * people + 2 * len(figures)  # originals and renditions


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


def test_printed_logins_point_at_the_address_make_run_serves(monkeypatch, settings, tmp_path):
    # `KYOSO_ADDR=127.0.0.1:8099 make run` serves on 8099: both printed links must say so.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BASE_DIR = tmp_path
    monkeypatch.setenv("KYOSO_ADDR", "127.0.0.1:8099")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("ensure_admin", stdout=out)
    logins = [line for line in out.getvalue().splitlines() if " login: " in line]
    assert len(logins) == 2
    assert all("http://127.0.0.1:8099/" in line for line in logins), logins
