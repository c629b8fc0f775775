"""Where uploaded media go: under MEDIA_ROOT, or in an S3 bucket (django-storages) when
AWS_STORAGE_BUCKET_NAME is set. Read from the production settings in a fresh process, as
the environment sets them; no bucket is contacted."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from django.conf import settings
from django.core.files.storage import storages
media = storages["default"]
print(json.dumps({
    "class": type(media).__module__ + "." + type(media).__name__,
    "bucket": getattr(media, "bucket_name", None),
    "url": media.url("images/portrait.png"),
    "documents": getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None),
    "static": type(storages["staticfiles"]).__name__,
}))
"""


def production_storage(tmp_path, **environment) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kyoso_site.settings.production",
        "SECRET_KEY": "media-storage-test-" + "k" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        **environment,
    }
    for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_CUSTOM_DOMAIN", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME"):
        if name not in environment:
            env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "--no-imports", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_media_stay_under_media_root_without_a_bucket(tmp_path):
    storage = production_storage(tmp_path)
    assert storage["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert storage["url"] == "/media/images/portrait.png"
    assert storage["documents"] is None  # Wagtail's default for local files: its own view
    assert storage["static"] == "CompressedManifestStaticFilesStorage"


def test_a_bucket_name_puts_media_on_s3_and_documents_behind_wagtails_view(tmp_path):
    storage = production_storage(
        tmp_path, AWS_STORAGE_BUCKET_NAME="kyoso-media", AWS_S3_CUSTOM_DOMAIN="media.kyoso.example.jp"
    )
    assert storage["class"] == "storages.backends.s3.S3Storage"
    assert storage["bucket"] == "kyoso-media"
    # Plain, cacheable image URLs on the media domain (no expiring signature).
    assert storage["url"] == "https://media.kyoso.example.jp/images/portrait.png"
    assert storage["documents"] == "serve_view"
    assert storage["static"] == "CompressedManifestStaticFilesStorage"
