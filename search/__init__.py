"""Planned, not built yet (an empty app): indexing and querying for every app. The site's search
today is Wagtail's own (database backend by default, Elasticsearch when configured)."""
