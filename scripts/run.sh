#!/usr/bin/env bash
# `make run`: install, migrate, load the demo content, make an admin, serve.
# A second run keeps existing data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
py=.venv/bin/python
# The address served, also the public base URL unless SITE_BASE_URL says otherwise: the
# settings read KYOSO_ADDR (links, sitemaps, allowed hosts), migrate and load_demo set the
# Wagtail Site to it.
export KYOSO_ADDR=${KYOSO_ADDR:-127.0.0.1:8000}
$py manage.py migrate --noinput -v0
$py manage.py createcachetable
$py manage.py load_demo
$py manage.py ensure_admin
echo "Serving on http://$KYOSO_ADDR/ (日本語 /ja/, English /en/). Ctrl-C stops."
exec $py manage.py runserver "$KYOSO_ADDR"
