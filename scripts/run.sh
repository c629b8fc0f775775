#!/usr/bin/env bash
# `make run`: install, migrate, load the demo content, make an admin, serve.
# A second run keeps existing data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
py=.venv/bin/python
$py manage.py migrate --noinput -v0
$py manage.py createcachetable
$py manage.py load_demo
$py manage.py ensure_admin
addr=${KYOSO_ADDR:-127.0.0.1:8000}
echo "Serving on http://$addr/ (日本語 /ja/, English /en/). Ctrl-C stops."
exec $py manage.py runserver "$addr"
