"""Language-neutral endpoints for payment providers (mounted at /billing/)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

app_name = "billing_webhooks"


@csrf_exempt
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """billing.webhooks.stripe_webhook, imported on the first call: it loads
    the Stripe SDK, which workers that only serve pages never need."""
    from .webhooks import stripe_webhook as view

    return view(request)


urlpatterns = [
    path("stripe/webhook/", stripe_webhook, name="stripe-webhook"),
]
