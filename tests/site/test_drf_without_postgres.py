"""Without a PostgreSQL database, Django REST framework (under Wagtail's admin
API) is imported as if psycopg were missing (kyoso_site/lazy_imports.py), so
an SQLite web process does not load psycopg; with PostgreSQL nothing changes."""

import inspect

import pytest
from django.db import connection
from rest_framework import compat
from wagtail.models import Page

from tests.fresh_process import run_in_fresh_process


def test_drf_still_imports_postgres_fields_the_way_this_was_written_for():
    """An upgrade of DRF that changes this import fails here: check that
    lazy_imports.import_drf_compat still makes DRF take its own fallback."""
    fallback = (
        "try:\n    from django.contrib.postgres import fields as postgres_fields\n"
        "except ImportError:\n    postgres_fields = None\n"
    )
    assert fallback in inspect.getsource(compat)


def test_a_web_process_on_sqlite_loads_no_psycopg():
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver()._populate();"
        "from wagtail import hooks; hooks.search_for_hooks();"
        "from rest_framework import compat;"
        "print('psycopg' in sys.modules, compat.postgres_fields);"
        "import django.contrib.postgres.fields as f; print(f.ArrayField.__name__)"
    )
    # Not loaded by the web process; still importable by code that asks for it.
    assert run_in_fresh_process(code, without_env=("DATABASE_URL",)) == ["False None", "ArrayField"]


@pytest.mark.django_db
def test_drf_maps_postgres_fields_exactly_when_the_database_is_postgresql(admin_client):
    assert (compat.postgres_fields is not None) == (connection.vendor == "postgresql")
    # The admin API (DRF) answers either way: the sidebar's page explorer.
    root = Page.get_first_root_node()
    response = admin_client.get(f"/admin/api/main/pages/?child_of={root.pk}&for_explorer=1")
    assert response.status_code == 200 and "items" in response.json()
