"""Language-neutral endpoints for payment providers (mounted at /billing/)."""

from django.urls import path

from .webhooks import stripe_webhook

app_name = "billing_webhooks"

urlpatterns = [
    path("stripe/webhook/", stripe_webhook, name="stripe-webhook"),
]
