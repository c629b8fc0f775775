"""Keeping each organization's customer at the payment provider (Stripe) in step with it,
for providers that keep customers (`PaymentProvider.keeps_customers`)."""

import datetime as dt
import logging

from django.utils import timezone

from ..app_settings import app_settings
from ..models import BillingCustomer

logger = logging.getLogger(__name__)


def billing_customer_sync(*, customer: BillingCustomer, force: bool = False) -> bool:
    """Send the organization's details to its Stripe customer; True when something was sent.

    A failure is written on the customer (`sync_error`, and `sync_pending_since` kept or
    set) before the error propagates, so billing_reconcile knows to try again."""
    from ..providers import get_provider

    before = customer.sync_count
    try:
        get_provider().customer_sync(organization=customer.organization, force=force)
    except Exception as exc:
        now = timezone.now()
        BillingCustomer.objects.filter(pk=customer.pk).update(sync_error=f"{now:%Y-%m-%d %H:%M} {exc}"[:500])
        BillingCustomer.objects.filter(pk=customer.pk, sync_pending_since__isnull=True).update(sync_pending_since=now)
        raise
    customer.refresh_from_db()
    return customer.sync_count > before


def billing_customers_reconcile() -> list[tuple[BillingCustomer, str]]:
    """Bring every Stripe customer in step with its organization: those whose last sync
    failed or never ran, those changed without a signal, and (forced) those not synced for
    CUSTOMER_RESYNC_DAYS. Unchanged, recently synced customers cost no request to Stripe.
    Returns each customer with "sent", "unchanged" or "failed: <error>"."""
    stale_before = timezone.now() - dt.timedelta(days=app_settings.CUSTOMER_RESYNC_DAYS)
    outcomes = []
    customers = BillingCustomer.objects.exclude(stripe_customer_id="").select_related("organization").order_by("pk")
    for customer in customers:
        stale = customer.synced_at is None or customer.synced_at < stale_before
        try:
            sent = billing_customer_sync(customer=customer, force=stale)
        except Exception as exc:  # keep going: one failing customer must not stop the rest
            logger.warning("Stripe customer %s: sync failed: %s", customer.stripe_customer_id, exc)
            outcomes.append((customer, f"failed: {exc}"))
            continue
        outcomes.append((customer, "sent" if sent else "unchanged"))
    return outcomes
