"""Language-neutral endpoints for payment providers (mounted at /billing/)."""

from django.urls import path  # noqa: F401

app_name = "billing_webhooks"

urlpatterns: list = []
