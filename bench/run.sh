#!/usr/bin/env bash
# Benchmark the public site against a bare Django floor (bench/README.md).
#
# 10,000 generated seeds on a throwaway SQLite database (kept in bench/var so a second run
# skips the generation); the site as production's web process (scripts/web, DEBUG off) and
# the bare floor (bench/bare_wsgi.py: Django, no apps, no middleware, the same bytes), each
# under gunicorn with the same worker class, given on the command line so that no config
# file can change it; wrk on loopback. For each page: requests/s, p50/p95 latency and the
# workers' CPU per request (from /proc/<pid>/stat), the same for the floor, the ratios.
#
#   BENCH_WORKER_CLASS (sync)  BENCH_THREADS (1)  BENCH_WORKERS (2)
#   BENCH_DURATION (10s)  BENCH_CONNECTIONS (8)  BENCH_PORT (8021; the floor on the next port)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
py=$root/.venv/bin/python
port=${BENCH_PORT:-8021}
bare_port=$((port + 1))
duration=${BENCH_DURATION:-10s}
connections=${BENCH_CONNECTIONS:-8}
worker_class=${BENCH_WORKER_CLASS:-sync}
threads=${BENCH_THREADS:-1}
nworkers=${BENCH_WORKERS:-2}
var=$root/bench/var
mkdir -p "$var/floor"

# What `make run` installs (production's packages; a second run only checks them) and the
# compiled translations; then wrk, from Debian, as scripts/setup.sh installs its packages.
bash scripts/setup.sh
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "Installing Debian packages: wrk"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
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
# Table statistics, as PostgreSQL's autovacuum keeps them: without them SQLite picks the
# two-valued locale index over the slug or the listing indexes.
"$py" manage.py shell -v 0 --no-imports -c "from django.db import connection; connection.cursor().execute('ANALYZE')"

seeds=$("$py" manage.py shell -v 0 --no-imports -c "from seeds.models import SeedPage; print(SeedPage.objects.filter(locale__language_code='ja').count())")
seed=$("$py" manage.py shell -v 0 --no-imports -c "from seeds.models import SeedPage; print(SeedPage.objects.filter(locale__language_code='ja').order_by('-pk').first().url_path.split('/')[-2])")
declare -A pages=(
  [home]="/ja/"
  [seed-list]="/ja/seeds/"
  [seed-list-filtered]="/ja/seeds/?field=materials&stage=module&sort=title&page=3"
  [seed-detail]="/ja/seeds/$seed/"
)
order=(home seed-list seed-list-filtered seed-detail)

# The same gunicorn options for the site and the floor; on the command line, which gunicorn
# applies after its config file (the site's sets its own worker class and threads).
gunicorn_options=(--worker-class "$worker_class" --threads "$threads" --workers "$nworkers" --no-control-socket)
export WEB_PRELOAD=${BENCH_PRELOAD:-1}
PYTHON="$py" scripts/web "${gunicorn_options[@]}" --bind 127.0.0.1:$port \
  --access-logfile /dev/null --error-logfile "$var/site.log" --pid "$var/site.pid" &
site_pid=$!
bare_pid=""
trap 'kill $site_pid $bare_pid 2>/dev/null || true' EXIT
up() { for _ in $(seq 1 100); do curl -fs "$1" >/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; exit 1; }
up "http://127.0.0.1:$port/healthz"

# The floor serves the very bytes each page returned.
for name in "${order[@]}"; do
  curl -fs "http://127.0.0.1:$port${pages[$name]}" -o "$var/floor/$name.html"
done
env -u DJANGO_SETTINGS_MODULE "$py" -m gunicorn --pythonpath "$root/bench" bare_wsgi:application \
  "${gunicorn_options[@]}" --bind 127.0.0.1:$bare_port --error-logfile "$var/bare.log" --pid "$var/bare.pid" &
bare_pid=$!
up "http://127.0.0.1:$bare_port/home"

clk=$(getconf CLK_TCK)
workers() { ps -o pid= --ppid "$(cat "$1")" | tr -d ' ' | sort -n | tr '\n' ' '; }  # pid file → worker pids
ticks() { for pid in "$@"; do sed 's/^.*) //' "/proc/$pid/stat" | awk '{printf "%d ", $12 + $13}'; done; }  # utime + stime
# url pidfile → "req/s p50 p95 errors cpu-ms-per-request split": wrk for $duration after a
# one-second warm-up, the CPU each worker used meanwhile, and how it split between them.
load() {
  local pids before result after
  read -ra pids <<<"$(workers "$2")"
  wrk -t2 -c"$connections" -d1s "$1" >/dev/null
  read -ra before <<<"$(ticks "${pids[@]}")"
  result=$(wrk -t2 -c"$connections" -d"$duration" -s "$root/bench/latency.lua" "$1" | awk '/^RESULT/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print v["rps"], v["p50"], v["p95"], v["errors"] + v["non2xx"], v["requests"] }')
  read -ra after <<<"$(ticks "${pids[@]}")"
  awk -v result="$result" -v before="${before[*]}" -v after="${after[*]}" -v clk="$clk" 'BEGIN {
    split(result, r, " "); n = split(before, b, " "); split(after, a, " ")
    for (i = 1; i <= n; i++) { d[i] = a[i] - b[i]; total += d[i] }
    for (i = 1; i <= n; i++) split_ = split_ (i > 1 ? "/" : "") sprintf("%.0f", total ? 100 * d[i] / total : 0)
    printf "%s %s %s %s %.2f %s\n", r[1], r[2], r[3], r[4], r[5] ? total * 1000 / clk / r[5] : 0, split_ }'
}
memory() {  # per worker of a pid file: RSS / PSS / USS in MB (USS = private pages, what the worker alone costs)
  for pid in $(workers "$1"); do
    awk '/^Rss:/ {r=$2} /^Pss:/ {p=$2} /^Private_(Clean|Dirty):/ {u+=$2}
         END {printf "%.0f / %.0f / %.0f; ", r/1024, p/1024, u/1024}' "/proc/$pid/smaps_rollup"
  done
}
ran() {  # log pid-file → the worker class gunicorn reports and each worker's thread count
  local class threads
  class=$(sed -n 's/.*Using worker: //p' "$1" | tail -1)
  threads=$(for pid in $(workers "$2"); do awk '/^Threads:/ {printf "%s ", $2}' "/proc/$pid/status"; done)
  echo "$nworkers × \`$class\` (OS threads per worker after the load: ${threads% })"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", b ? 100 * a / b : 0 }'; }

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A row
for name in "${order[@]}"; do
  read -r rps p50 p95 err cpu split < <(load "http://127.0.0.1:$port${pages[$name]}" "$var/site.pid")
  read -r frps fp50 fp95 ferr fcpu _ < <(load "http://127.0.0.1:$bare_port/$name" "$var/bare.pid")
  row[$name]="| $name | $rps | $cpu | $p50 | $p95 | $split | $frps | $fcpu | $(ratio "$rps" "$frps") | $(ratio "$fcpu" "$cpu") | $((err + ferr)) |"
done
# What the site's own middleware costs: a view in the site returning the home page's bytes (bench_urls.py).
read -r mrps _ _ merr mcpu msplit < <(load "http://127.0.0.1:$port/bench-floor/home" "$var/site.pid")

report=$var/report.md
{
  echo "# Benchmark $(date -u '+%F %H:%M UTC'), $(git describe --always --dirty)"
  echo
  echo "$(nproc) CPUs, load average $load_at_start at the start; wrk 2 threads, $connections connections, $duration per URL after 1 s of warm-up;"
  echo "$seeds seeds in Japanese and as many in English; SQLite; DEBUG off; WEB_PRELOAD=$WEB_PRELOAD; $("$py" -m gunicorn --version)."
  echo
  echo "- site: \`$(tr '\0' ' ' </proc/"$(cat "$var/site.pid")"/cmdline | sed 's/ *$//')\`"
  echo "  ran $(ran "$var/site.log" "$var/site.pid")"
  echo "- bare floor: \`$(tr '\0' ' ' </proc/"$(cat "$var/bare.pid")"/cmdline | sed 's/ *$//')\`"
  echo "  ran $(ran "$var/bare.log" "$var/bare.pid")"
  echo
  echo "CPU = the workers' user + system time during the load (/proc/<pid>/stat) per request answered; split = each worker's share of it."
  echo
  echo "| page | req/s | CPU ms/req | p50 ms | p95 ms | CPU split % | bare req/s | bare CPU ms/req | page/bare req/s | bare/page CPU | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for name in "${order[@]}"; do echo "${row[$name]}"; done
  echo
  echo "The site's middleware alone (bench_urls.py's view, home's bytes): $mrps req/s, $mcpu ms CPU per request (split $msplit %), $merr errors."
  echo
  echo "Worker memory after the run, RSS / PSS / USS (MB): site $(memory "$var/site.pid")bare floor $(memory "$var/bare.pid")"
  echo
  echo "Target: each page ≥ 10% of the bare floor's requests/s."
} >"$report"
cat "$report"
