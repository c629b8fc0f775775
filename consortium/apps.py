from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsortiumConfig(AppConfig):
    name = "consortium"
    label = "consortium"
    verbose_name = _("Consortia")
    default_auto_field = "django.db.models.BigAutoField"
