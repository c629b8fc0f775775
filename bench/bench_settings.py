"""Benchmark settings: production-like (DEBUG off, no page cache), a
throwaway database, search indexing off while generating seeds."""

import os

import production_packages

from kyoso_site.settings.production import *  # noqa: F403

# Only the packages the production image installs (see the module).
if os.environ.get("BENCH_DEV_PACKAGES") != "1":
    production_packages.install()

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "modelsearch.backends.database", "AUTO_UPDATE": False}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
BENCH_FLOOR_DIR = os.environ.get("BENCH_FLOOR_DIR", "")

# SQLite connections are kept between requests as in production (60 s);
# BENCH_CONN_MAX_AGE=0 opens one per request, as the development server does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and os.environ.get("BENCH_CONN_MAX_AGE"):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])  # noqa: F405

# bench/run.sh loads the demo content (manage.py load_demo) before generating seeds.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
