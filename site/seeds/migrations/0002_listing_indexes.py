"""Indexes for the seed list's two sort orders within one language.

The seed list asks for one language's pages ordered by first publication (or
by title) and takes twelve. With only Wagtail's single-column indexes the
database reads every page of the language and sorts them; with these it walks
the index in order and stops after the page it needs. They live on Wagtail's
page table, so they are plain SQL (the same on SQLite and PostgreSQL) rather
than model state.
"""

from django.db import migrations

INDEXES = {
    "seeds_page_locale_published": "locale_id, first_published_at, id",
    "seeds_page_locale_title": "locale_id, title, id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("seeds", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
