"""Invoices in yen that meet Japan's qualified-invoice rules, payments by bank transfer or Stripe."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    label = "billing"
    verbose_name = _("Billing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .subjects import membership

        membership.connect()
