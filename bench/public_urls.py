"""An experiment, not the site's configuration: the site's URLs without the
staff ones (/admin/, /django-admin/, /documents/, the billing webhooks), to
measure what a pool of web workers serving only the public pages would weigh:
`bench/memory_profile.py --urlconf public_urls`.

Finding (bench/README.md, "Worker memory"): it saves 27 MB at start-up but
only about 5 MB once a page is served, because the first page's first Wagtail
hook lookup imports every app's wagtail_hooks, and those import the admin's
views, viewsets and API (Django REST framework, pydantic) anyway. The
patterns below repeat kyoso_site/urls.py's public part.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls

from kyoso_site import views
from kyoso_site.sitemaps import LocalizedSitemap

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("members/invoices/", include("billing.urls")),
    path("members/", include("membership.urls")),
    path("consortia/", include("consortium.urls")),
    path("search/", include("search.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": LocalizedSitemap}}, name="sitemap"),
    re_path(r"^((?:[\w\-]+/)*)$", views.serve_page, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
