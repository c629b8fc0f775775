from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views

from . import views
from .sitemaps import LocalizedSitemap

# Language-neutral URLs: machines (health checks, webhooks) and the admin,
# whose language follows the staff member's own preference.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Before the admins' own URLs: their password forms are never served, every login
    # goes through allauth's (MFA, rate limits, e-mail verification; accounts/views.py).
    path("admin/login/", account_views.wagtail_admin_login),
    path("django-admin/login/", account_views.django_admin_login),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("billing/", include("billing.webhook_urls")),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
]

if settings.SERVE_MEDIA:
    # Django's documented view for uploaded files on a development server (static files:
    # WhiteNoise). Only Wagtail's images (originals and renditions): documents go
    # through Wagtail's /documents/ view, which checks their privacy.
    from django.views.static import serve as serve_file

    media = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(
            rf"^{media}/(?P<path>(?:original_images|images)/.+)$",
            serve_file,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Everything people read lives under /ja/ or /en/.
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("members/invoices/", include("billing.urls")),
    path("members/", include("membership.urls")),
    path("consortia/", include("consortium.urls")),
    path("search/", include("search.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": LocalizedSitemap}}, name="sitemap"),
    path("_util/login/", account_views.frontend_login),  # before Wagtail's own (accounts/views.py)
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
