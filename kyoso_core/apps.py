from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KyosoCoreConfig(AppConfig):
    name = "kyoso_core"
    label = "kyoso_core"
    verbose_name = _("Kyoso core")
