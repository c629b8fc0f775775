"""The test suite: embedded services, fast hashing, mail kept in memory."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "kyoso-test-secret-key-not-for-production-use-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "modelsearch.backends.database"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploaded and generated files (demo portraits, renditions) go to a folder of this test
# process's own, removed when it ends, never into the developer's var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kyoso-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# The demo content (manage.py load_demo, ensure_admin), as in development.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
