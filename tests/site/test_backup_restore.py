"""deploy/backup.sh and deploy/restore.sh: what the site had (a member's account, an
uploaded file) is there again after a restore into a new database and media folder, and
the site reads it from there. PostgreSQL only (pg_dump and pg_restore): the second pass of
`make test`."""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="pg_dump and pg_restore: the PostgreSQL pass",
    ),
    pytest.mark.django_db(transaction=True),
]

CHECK = """
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
print(connection.settings_dict["NAME"])
print(get_user_model().objects.get(email="restored@example.co.jp").first_name)
print((Path(settings.MEDIA_ROOT) / "documents" / "minutes.txt").read_text().strip())
"""


def database_url(name: str) -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{name}"


def test_a_backup_restores_into_a_new_database_and_media_folder(tmp_path):
    get_user_model().objects.create_user(email="restored@example.co.jp", password=None, first_name="復元")
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "minutes.txt").write_text("議事録\n")

    source = connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": database_url(source), "MEDIA_ROOT": str(media)}
    subprocess.run([str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "backup")], env=env, check=True)
    assert (tmp_path / "backup" / "db.dump").stat().st_size > 0

    restored = f"{source}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        restored_env = {
            **os.environ,
            "DATABASE_URL": database_url(restored),
            "MEDIA_ROOT": str(tmp_path / "restored-media"),
        }
        subprocess.run([str(ROOT / "deploy" / "restore.sh"), str(tmp_path / "backup")], env=restored_env, check=True)
        # The site, pointed at the restored database and media, finds what was backed up.
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "--no-imports", "-c", CHECK],
            cwd=ROOT,
            env={**restored_env, "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.dev"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert result.stdout.splitlines() == [restored, "復元", "議事録"]
        migrations = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check", "--plan"],
            cwd=ROOT,
            env={**restored_env, "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.dev"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert migrations.returncode == 0, migrations.stdout + migrations.stderr  # nothing left to apply
    finally:
        connection.close()  # a restored database's name may not be dropped while in use
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
