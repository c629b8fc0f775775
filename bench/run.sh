#!/usr/bin/env bash
# Benchmark the public site against the floor of this machine.
#
# 10,000 generated seeds on a throwaway SQLite database (kept in bench/var so
# a second run skips the generation), gunicorn with 2 workers and DEBUG off,
# wrk on loopback. For each page: requests/s, p50/p95 latency, and the same for
# a bare Django view returning the same bytes (the floor), then the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
py=$root/.venv/bin/python
port=${BENCH_PORT:-8021}
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-8}
var=$root/bench/var
mkdir -p "$var/floor"

# What `make run` installs (production's packages; a second run only checks them) and the
# compiled translations.
bash scripts/setup.sh

if ! command -v wrk >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi

export DJANGO_SETTINGS_MODULE=bench_settings
export PYTHONPATH="$root/bench:$root/site:$root"
export SECRET_KEY=${SECRET_KEY:-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:///$var/bench.sqlite3}
export STATIC_ROOT=$var/static
export BENCH_FLOOR_DIR=$var/floor
export WAGTAILADMIN_BASE_URL=http://127.0.0.1:$port

"$py" manage.py migrate -v0
"$py" manage.py createcachetable
"$py" manage.py collectstatic --noinput -v0
"$py" manage.py load_demo >/dev/null
"$py" bench/generate_seeds.py
# Table statistics, as PostgreSQL's autovacuum keeps them: without them
# SQLite picks the two-valued locale index over the slug or the listing
# indexes (see README "Results").
"$py" manage.py shell -v 0 --no-imports -c "from django.db import connection; connection.cursor().execute('ANALYZE')"

seed=$("$py" manage.py shell -v 0 --no-imports -c "from seeds.models import SeedPage; print(SeedPage.objects.filter(locale__language_code='ja').order_by('-pk').first().url_path.split('/')[-2])")
declare -A pages=(
  [home]="/ja/"
  [seed-list]="/ja/seeds/"
  [seed-list-filtered]="/ja/seeds/?field=materials&stage=module&sort=title&page=3"
  [seed-detail]="/ja/seeds/$seed/"
)
order=(home seed-list seed-list-filtered seed-detail)

# Production's web process (scripts/web: deploy/gunicorn.conf.py's preload + gc.freeze)
# with sync workers, as every earlier run had; BENCH_PRELOAD=0 loads the code in each worker.
export WEB_PRELOAD=${BENCH_PRELOAD:-1}
preload="preload + gc.freeze"; [ "$WEB_PRELOAD" = 0 ] && preload="no preload"
PYTHON="$py" "$root/scripts/web" --worker-class sync --workers 2 --no-control-socket \
  --bind 127.0.0.1:$port --access-logfile /dev/null --error-logfile "$var/gunicorn.log" --pid "$var/gunicorn.pid" &
gpid=$!
trap 'kill $gpid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

# The floor serves the very bytes each page returned.
for name in "${order[@]}"; do
  curl -fs "http://127.0.0.1:$port${pages[$name]}" -o "$var/floor/$name.html"
done

measure() {  # url → "rps p50 p95"
  wrk -t2 -c"$connections" -d"$duration" -s "$root/bench/latency.lua" "$1" | awk '/^RESULT/ {
    split($2,a,"="); split($3,b,"="); split($4,c,"="); split($5,d,"="); split($6,e,"=");
    print a[2], b[2], c[2], d[2] + e[2] }'
}
memory() {  # per worker: RSS / PSS / USS in MB (USS = private pages, what the worker alone costs)
  for pid in $(ps -o pid= --ppid "$(cat "$var/gunicorn.pid")"); do
    awk '/^Rss:/ {r=$2} /^Pss:/ {p=$2} /^Private_(Clean|Dirty):/ {u+=$2}
         END {printf "%.0f / %.0f / %.0f; ", r/1024, p/1024, u/1024}' "/proc/$pid/smaps_rollup"
  done
}

report=$var/report.md
{
  echo "# Benchmark $(date -u +%FT%TZ)"
  echo
  echo "$(nproc) CPUs; gunicorn 2 workers, DEBUG off, no page cache; wrk $connections connections for $duration; $("$py" manage.py shell -v 0 --no-imports -c "from seeds.models import SeedPage; print(SeedPage.objects.filter(locale__language_code='ja').count())") seeds in Japanese and as many in English; $preload; load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
  echo
  echo "| page | req/s | p50 ms | p95 ms | floor req/s | floor p50 | floor p95 | page/floor | errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$report"
for name in "${order[@]}"; do
  curl -fs "http://127.0.0.1:$port${pages[$name]}" >/dev/null  # warm
  read -r rps p50 p95 err < <(measure "http://127.0.0.1:$port${pages[$name]}")
  read -r frps fp50 fp95 ferr < <(measure "http://127.0.0.1:$port/bench-floor/$name")
  ratio=$(awk -v a="$rps" -v b="$frps" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  echo "| $name | $rps | $p50 | $p95 | $frps | $fp50 | $fp95 | $ratio | $((err + ferr)) |" >>"$report"
done
{
  echo
  echo "Worker memory after the run, RSS / PSS / USS (MB): $(memory)"
  echo
  echo "Targets: each page ≥ 10% of the floor's requests/s; each worker < 100 MB."
} >>"$report"
cat "$report"
