"""Re-sync open invoices from the payment provider, for webhooks that never came.

Also invoices approved memberships whose invoicing failed, pushes open invoices that never reached Stripe, sends
organizations to their Stripe customers when the last sync failed or is stale, and retries failed webhook events with
--retry-failed. Safe to run as often as you like (cron, every hour).
"""

from django.core.management.base import BaseCommand

from billing.models import WebhookEvent, WebhookEventStatus
from billing.providers import get_provider
from billing.selectors import open_invoices
from billing.services.customers import billing_customers_reconcile
from billing.webhooks import webhook_event_process


class Command(BaseCommand):
    help = "Re-sync open invoices from Stripe (and retry failed webhook events with --retry-failed)."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="also retry failed webhook events")

    def handle(self, *args, retry_failed: bool = False, **options):
        from billing.subjects.membership import invoice_first_term, memberships_awaiting_invoice

        for membership in memberships_awaiting_invoice():
            invoice = invoice_first_term(membership=membership)
            self.stdout.write(f"membership {membership.pk}: invoiced ({invoice.number if invoice else '-'})")
        provider = get_provider()
        synced = 0
        for invoice in open_invoices():
            if provider.key == "stripe" and not invoice.stripe_invoice_id:
                try:
                    provider.push_invoice(invoice=invoice)
                except Exception as exc:  # keep going: one broken invoice must not stop the rest
                    self.stderr.write(f"{invoice.number}: could not push to Stripe: {exc}")
                    continue
                invoice.refresh_from_db()
            try:
                outcome = provider.sync_invoice(invoice=invoice)
            except Exception as exc:
                self.stderr.write(f"{invoice.number}: {exc}")
                continue
            synced += 1
            self.stdout.write(f"{invoice.number}: {outcome}")
        if provider.key == "stripe":
            for customer, outcome in billing_customers_reconcile():
                if outcome == "sent":
                    self.stdout.write(f"customer {customer.stripe_customer_id}: synced")
                elif outcome != "unchanged":
                    self.stderr.write(f"customer {customer.stripe_customer_id}: {outcome}")
        if retry_failed:
            for event in WebhookEvent.objects.filter(status=WebhookEventStatus.FAILED):
                self.stdout.write(f"{event.event_id}: {webhook_event_process(event=event)}")
        self.stdout.write(self.style.SUCCESS(f"{synced} open invoice(s) checked with {provider.key}."))
