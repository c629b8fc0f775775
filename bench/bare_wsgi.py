"""The bare floor: Django with no apps and no middleware, one view returning the
bytes a page of the site returned (`BENCH_FLOOR_DIR/<name>.html`, saved by
bench/run.sh). Served by the same gunicorn and worker class as the site:

    gunicorn --pythonpath bench bare_wsgi:application
"""

import os
from pathlib import Path

from django.conf import settings

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bench-bare-floor",  # noqa: S106 (signs nothing: no sessions, no CSRF)
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402 (after the settings)
from django.http import Http404, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

BODIES = {file.stem: file.read_bytes() for file in Path(os.environ["BENCH_FLOOR_DIR"]).glob("*.html")}


def floor(request, name: str) -> HttpResponse:
    if name not in BODIES:
        raise Http404
    return HttpResponse(BODIES[name], content_type="text/html; charset=utf-8")


urlpatterns = [path("<slug:name>", floor)]
application = get_wsgi_application()
