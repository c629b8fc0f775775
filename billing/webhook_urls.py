"""Language-neutral endpoints for payment providers (mounted at /billing/)."""

from django.urls import path

from . import webhooks

app_name = "billing_webhooks"

urlpatterns = [
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe-webhook"),
]
