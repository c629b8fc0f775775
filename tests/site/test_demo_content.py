"""The demo content `make run` loads. One test runs the whole `load_demo` (it takes
most of a minute): people with portraits, events with contacts and registrations
with their history, seeds with figures, an invoiced member, and a second run that
duplicates nothing. The steps that need no images are tried on their own, quickly."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from events.models import EventPage, EventRegistration, RegistrationStatusChange
from people.models import Person
from seeds.models import SeedPage
from wagtail.images.models import Image, Rendition

from billing.models import Invoice, InvoiceStatus, IssuerSettings
from demo import billing as demo_billing
from demo import membership as demo_membership
from demo.home import ensure_home
from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_the_whole_demo_loads_and_a_second_run_duplicates_nothing(client, settings, tmp_path):
    from django.db import connection

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BASE_DIR = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    assert set(HomePage.objects.values_list("locale__language_code", flat=True)) == {"ja", "en"}
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
    assert Invoice.objects.filter(status=InvoiceStatus.OPEN).exists()

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

    if connection.vendor == "sqlite":
        # Table statistics for SQLite's planner (PostgreSQL's autovacuum gathers its own):
        # the seed listing and page lookups choose their indexes from them.
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            assert {"seeds_seedpage", "wagtailcore_page"} <= {row[0] for row in cursor.fetchall()}

    for path in ("/ja/", "/en/", "/ja/seeds/", "/en/events/"):
        assert client.get(path).status_code == 200, path

    counts = (
        Image.objects.count(),
        Rendition.objects.count(),
        RegistrationStatusChange.objects.count(),
        Invoice.objects.count(),
    )
    # Portraits with two renditions each, figures with the one the seed page shows.
    assert counts[:3] == (people + len(figures), 2 * people + len(figures), 5)
    call_command("load_demo", stdout=io.StringIO())
    assert (
        Image.objects.count(),
        Rendition.objects.count(),
        RegistrationStatusChange.objects.count(),
        Invoice.objects.count(),
    ) == counts
    assert EventRegistration.objects.count() == 4 and HomePage.objects.count() == 2
    media = tmp_path / "media"
    assert len(list(media.rglob("*.png"))) == 3 * people + 2 * len(figures)  # originals and renditions


def test_the_membership_and_billing_steps_give_an_invoiced_member_once(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    ensure_home()
    demo_membership.load(io.StringIO())
    demo_billing.load(io.StringIO())
    count = Invoice.objects.count()
    demo_membership.load(io.StringIO())
    demo_billing.load(io.StringIO())
    assert Invoice.objects.count() == count >= 1
    invoice = Invoice.objects.filter(status=InvoiceStatus.OPEN).first()
    assert invoice is not None and invoice.organization.seats.exists()
    assert invoice.issuer_registration_number.startswith("T")
    assert IssuerSettings.objects.exclude(legal_name="").exists()


def test_printed_logins_point_at_the_address_make_run_serves(settings, tmp_path):
    # `KYOSO_ADDR=127.0.0.1:8099 make run` serves on 8099 and its SITE_BASE_URL says so
    # (test_demo_server): both printed links must say so too.
    settings.BASE_DIR = tmp_path
    settings.SITE_BASE_URL = "http://127.0.0.1:8099"
    ensure_home()
    out = io.StringIO()
    demo_membership.load(OutputWrapper(out))  # as load_demo writes it, a line each
    call_command("ensure_admin", stdout=out)
    logins = [line for line in out.getvalue().splitlines() if " login: " in line]
    assert len(logins) == 2
    assert all("http://127.0.0.1:8099/" in line for line in logins), logins
