"""Re-sync open invoices from the payment provider, for webhooks that never came.

Also invoices approved memberships whose invoicing failed, hands open invoices to the provider when they never
reached it, sends organizations to their customers at the provider when the last sync failed or is stale, and retries
failed webhook events with --retry-failed. Safe to run as often as you like (cron, every hour).
"""

from django.core.management.base import BaseCommand

from billing.models import WebhookEvent, WebhookEventStatus
from billing.providers import get_provider
from billing.services.customers import billing_customers_reconcile
from billing.services.invoices import invoices_reconcile
from billing.webhooks import webhook_event_process


class Command(BaseCommand):
    help = "Re-sync open invoices with the payment provider (and retry failed webhook events with --retry-failed)."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="also retry failed webhook events")

    def handle(self, *args, retry_failed: bool = False, **options):
        from billing.subjects.membership import invoice_first_term, memberships_awaiting_invoice

        for membership in memberships_awaiting_invoice():
            invoice = invoice_first_term(membership=membership)
            self.stdout.write(f"membership {membership.pk}: invoiced ({invoice.number if invoice else '-'})")
        provider = get_provider()
        synced = 0
        for invoice, outcome in invoices_reconcile():
            if outcome.startswith("failed: "):
                self.stderr.write(f"{invoice.number}: {outcome.removeprefix('failed: ')}")
                continue
            synced += 1
            self.stdout.write(f"{invoice.number}: {outcome}")
        if provider.keeps_customers:
            for customer, outcome in billing_customers_reconcile():
                if outcome == "sent":
                    self.stdout.write(f"customer {customer.stripe_customer_id}: synced")
                elif outcome != "unchanged":
                    self.stderr.write(f"customer {customer.stripe_customer_id}: {outcome}")
        if retry_failed:
            for event in WebhookEvent.objects.filter(status=WebhookEventStatus.FAILED):
                self.stdout.write(f"{event.event_id}: {webhook_event_process(event=event)}")
        self.stdout.write(self.style.SUCCESS(f"{synced} open invoice(s) checked with {provider.key}."))
