from django.apps import AppConfig


class KyosoSiteConfig(AppConfig):
    name = "kyoso_site"
    label = "kyoso_site"
    verbose_name = "Kyoso site"

    def ready(self):
        from . import chrome

        chrome.connect()
