#!/bin/sh
# Back up the database and the uploaded media into DIR:
#   DIR/db.dump        pg_dump's custom format (restore with deploy/restore.sh or pg_restore)
#   DIR/media.tar.gz   MEDIA_ROOT (only when media are on the local file system; a bucket
#                      is kept by its own versioning or replication)
# DATABASE_URL and MEDIA_ROOT as the site has them; needs PostgreSQL's client programs
# (pg_dump) of the server's major version or later.
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=/app/var/media deploy/backup.sh /backups/2026-12-04
set -eu
dir=${1:?usage: deploy/backup.sh DIR}
: "${DATABASE_URL:?set DATABASE_URL}"
media=${MEDIA_ROOT:-$(cd "$(dirname "$0")/.." && pwd)/var/media}
mkdir -p "$dir"
pg_dump --format=custom --no-owner --no-privileges --file="$dir/db.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -C "$media" -czf "$dir/media.tar.gz" .
fi
echo "backed up to $dir"
