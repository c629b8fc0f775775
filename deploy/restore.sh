#!/bin/sh
# Restore a backup made by deploy/backup.sh into an empty database (make it first, e.g.
# `createdb kyoso_restored`) and MEDIA_ROOT; then point the site's DATABASE_URL at it.
# Restoring into a new database leaves the old one untouched until you switch.
#
#   DATABASE_URL=postgres://.../kyoso_restored MEDIA_ROOT=/app/var/media deploy/restore.sh /backups/2026-12-04
set -eu
dir=${1:?usage: deploy/restore.sh DIR}
: "${DATABASE_URL:?set DATABASE_URL}"
media=${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$dir/db.dump"
if [ -f "$dir/media.tar.gz" ]; then
  mkdir -p "$media"
  tar -C "$media" -xzf "$dir/media.tar.gz"
fi
echo "restored from $dir"
