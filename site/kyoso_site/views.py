from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Load-balancer health check: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means this instance is unhealthy
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl the public pages; keep out of the admin and the member area."""
    base = settings.SITE_BASE_URL
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /django-admin/"]
    for code, _name in settings.LANGUAGES:
        lines += [f"Disallow: /{code}/members/", f"Disallow: /{code}/accounts/"]
    lines += ["", f"Sitemap: {base}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """One sitemap per language, listed here."""
    base = settings.SITE_BASE_URL
    urls = [f"{base}/{code}/sitemap.xml" for code, _name in settings.LANGUAGES]
    return render(request, "kyoso_site/sitemap_index.xml", {"urls": urls}, content_type="application/xml")
