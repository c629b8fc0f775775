"""Keeping the organization's Stripe customer in step, in the background (django-tasks).

Kept apart from billing.tasks (the webhook path) so the acknowledgement path imports
nothing it does not need.
"""

from django_tasks import task


@task()
def sync_stripe_customer(organization_pk: int) -> str:
    """Send the organization's current name, address, billing contact and tax ids to its
    Stripe customer. Idempotent: an unchanged organization sends nothing."""
    from .models import BillingCustomer
    from .providers import get_provider

    if not get_provider().keeps_customers:
        return "the payment provider keeps no customers"
    customer = (
        BillingCustomer.objects.select_related("organization")
        .filter(organization_id=organization_pk)
        .exclude(stripe_customer_id="")
        .first()
    )
    if customer is None:
        return "no stripe customer yet"  # made, up to date, with the first invoice sent there
    from .services.customers import billing_customer_sync

    # A failure is recorded on the customer (and the task fails); billing_reconcile retries it.
    billing_customer_sync(customer=customer)
    return "synced"
