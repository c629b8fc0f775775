#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on a free loopback port and print its
# DATABASE_URL; `stop DIR` removes it again.
#   url=$(scripts/pg-throwaway.sh start DIR)
#   scripts/pg-throwaway.sh stop DIR
set -euo pipefail
action=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)  # initdb refuses to run as root
fi

case "$action" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U kyoso -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  # Durability is pointless for a cluster that lives for one test run.
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  "${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U kyoso kyoso
  echo "postgres://kyoso@127.0.0.1:$port/kyoso"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
