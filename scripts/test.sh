#!/usr/bin/env bash
# `make test`: install what the tests need, lint, check, then the whole suite
# on SQLite and on a throwaway PostgreSQL cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
py=.venv/bin/python
export DJANGO_SETTINGS_MODULE=kyoso_site.settings.test

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== manage.py check / makemigrations --check"
$py manage.py check --fail-level WARNING
$py manage.py makemigrations --check --dry-run

# loadgroup: tests marked xdist_group share one worker (tests/site/test_web_process.py: one server).
workers=${PYTEST_WORKERS:-2}
echo "== pytest on SQLite"
.venv/bin/pytest -n "$workers" --dist loadgroup "$@"

echo "== pytest on PostgreSQL"
pgdir=$(mktemp -d /tmp/kyoso-pg.XXXXXX)
trap 'bash scripts/pg-throwaway.sh stop "$pgdir"' EXIT
DATABASE_URL=$(bash scripts/pg-throwaway.sh start "$pgdir")
export DATABASE_URL
.venv/bin/pytest -n "$workers" --dist loadgroup "$@"
