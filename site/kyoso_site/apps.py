from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class KyosoSiteConfig(AppConfig):
    name = "kyoso_site"
    label = "kyoso_site"
    verbose_name = "Kyoso site"

    def ready(self):
        from . import chrome

        chrome.connect()

        from .sites import align_after_migrate

        # The default Wagtail Site takes SITE_BASE_URL's hostname and port (kyoso_site.sites),
        # once per migrate: post_migrate is sent for each app with models (this one has none).
        post_migrate.connect(
            align_after_migrate, sender=apps.get_app_config("wagtailcore"), dispatch_uid="kyoso_site.align_default_site"
        )
