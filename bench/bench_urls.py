"""The site's URLs plus the floor: a bare view that returns stored bytes
(the same bytes a real page returned) without touching the database."""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import path

from kyoso_site.urls import urlpatterns as site_urlpatterns

_BODIES: dict[str, bytes] = {}


def floor(request, name: str) -> HttpResponse:
    body = _BODIES.get(name)
    if body is None:
        file = Path(settings.BENCH_FLOOR_DIR) / f"{name}.html"
        if not file.is_file():
            raise Http404
        body = _BODIES[name] = file.read_bytes()
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench-floor/<slug:name>", floor), *site_urlpatterns]
