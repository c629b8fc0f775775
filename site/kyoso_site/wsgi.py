"""WSGI entry point (gunicorn kyoso_site.wsgi)."""

import os
import sys
from pathlib import Path

# The host packages (site/) and the plugin apps (the repository root).
_site = Path(__file__).resolve().parent.parent
for _path in (_site.parent, _site):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyoso_site.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
