"""Stripe: the customer kept in step with the organization, invoices sent by Stripe
(card, or a per-customer virtual bank account via customer_balance/jp_bank_transfer),
and Checkout for paying by card from the member's invoice page.

Every POST carries an Idempotency-Key built from our own ids, so a retried call
never creates a second object. JPY has no minor unit: amounts go over as integers.
"""

import stripe
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ..app_settings import app_settings
from ..emails import send_invoice_issued
from ..models import BillingCustomer, Invoice, InvoiceStatus
from .base import PaymentProvider


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(
        app_settings.STRIPE_SECRET_KEY,
        http_client=app_settings.STRIPE_HTTP_CLIENT,
        max_network_retries=app_settings.STRIPE_MAX_RETRIES,
    )


def _key(*parts) -> str:
    return "kyoso-" + "-".join(str(p) for p in parts)


class StripeProvider(PaymentProvider):
    key = "stripe"
    supports_checkout = True

    def __init__(self, client: stripe.StripeClient | None = None):
        self.client = client or stripe_client()

    # The customer ---------------------------------------------------------------------

    def customer_sync(self, *, organization) -> str:
        """Create or update the organization's Stripe customer; returns its id."""
        bc, _created = BillingCustomer.objects.get_or_create(organization=organization)
        params = {
            "name": organization.legal_name,
            "email": organization.billing_contact_email,
            "preferred_locales": ["ja", "en"],
            "address": {
                "country": organization.country or "JP",
                "postal_code": organization.postal_code or "",
                "line1": organization.address,
            },
            "metadata": {"kyoso_organization_id": str(organization.pk)},
        }
        version = int(timezone.now().timestamp() // 60)  # a changed organization gets a new key within a minute
        if bc.stripe_customer_id:
            self.client.v1.customers.update(
                bc.stripe_customer_id,
                params,
                {"idempotency_key": _key("customer", organization.pk, "update", version)},
            )
        else:
            customer = self.client.v1.customers.create(
                params, {"idempotency_key": _key("customer", organization.pk, "create")}
            )
            bc.stripe_customer_id = customer.id
        if organization.invoice_registration_number:
            existing = self.client.v1.customers.tax_ids.list(bc.stripe_customer_id)
            if not any(t.value == organization.invoice_registration_number for t in existing.data):
                self.client.v1.customers.tax_ids.create(
                    bc.stripe_customer_id,
                    {"type": "jp_trn", "value": organization.invoice_registration_number},
                    {"idempotency_key": _key("taxid", organization.pk, organization.invoice_registration_number)},
                )
        bc.synced_at = timezone.now()
        bc.save()
        return bc.stripe_customer_id

    # Invoices -------------------------------------------------------------------------

    def invoice_issued(self, *, invoice: Invoice) -> None:
        # Our e-mail carries the qualified invoice; Stripe's carries its payment page.
        send_invoice_issued(invoice=invoice)
        self.push_invoice(invoice=invoice)

    def push_invoice(self, *, invoice: Invoice) -> None:
        """Create, finalize and send the invoice at Stripe (safe to repeat: idempotency keys)."""
        from ..services import invoice_set_stripe

        customer = self.customer_sync(organization=invoice.organization)
        si = self.client.v1.invoices.create(
            {
                "customer": customer,
                "currency": "jpy",
                "collection_method": "send_invoice",
                "days_until_due": max((invoice.due_date - invoice.issue_date).days, 1),
                "pending_invoice_items_behavior": "exclude",
                "payment_settings": {
                    "payment_method_types": ["card", "customer_balance"],
                    "payment_method_options": {
                        "customer_balance": {
                            "funding_type": "bank_transfer",
                            "bank_transfer": {"type": "jp_bank_transfer"},
                        }
                    },
                },
                "metadata": {"kyoso_invoice_id": str(invoice.pk), "kyoso_invoice_number": invoice.number},
                "description": invoice.number,
            },
            {"idempotency_key": _key("invoice", invoice.pk, "create")},
        )
        # Lines as on our invoice, and the tax as we computed it (once per rate), so
        # Stripe's total is ours to the yen.
        items = [(f"line{ln.pk}", ln.description_ja, ln.amount) for ln in invoice.lines.all()]
        with override("ja"):
            items += [
                (f"tax{row['rate_id']}", _("Consumption tax (%(rate)s%%)") % {"rate": row["percent"]}, row["tax"])
                for row in invoice.tax_breakdown
                if row["tax"]
            ]
        for ref, description, amount in items:
            self.client.v1.invoice_items.create(
                {
                    "customer": customer,
                    "invoice": si.id,
                    "currency": "jpy",
                    "amount": amount,
                    "description": description,
                },
                {"idempotency_key": _key("invoice", invoice.pk, "item", ref)},
            )
        finalized = self.client.v1.invoices.finalize_invoice(
            si.id, {"auto_advance": True}, {"idempotency_key": _key("invoice", invoice.pk, "finalize")}
        )
        self.client.v1.invoices.send_invoice(si.id, None, {"idempotency_key": _key("invoice", invoice.pk, "send")})
        invoice_set_stripe(
            invoice=invoice, stripe_invoice_id=si.id, hosted_url=getattr(finalized, "hosted_invoice_url", "") or ""
        )

    def invoice_paid_elsewhere(self, *, invoice: Invoice) -> None:
        """Paid by transfer or Checkout: close the Stripe invoice too, so nobody pays twice."""
        if not invoice.stripe_invoice_id:
            return
        si = self.client.v1.invoices.retrieve(invoice.stripe_invoice_id)
        if si.status == "open":
            self.client.v1.invoices.pay(
                si.id, {"paid_out_of_band": True}, {"idempotency_key": _key("invoice", invoice.pk, "paid-out-of-band")}
            )

    def checkout_url(self, *, invoice: Invoice, success_url: str, cancel_url: str, language: str) -> str | None:
        if invoice.status != InvoiceStatus.OPEN or invoice.amount_due <= 0:
            return None
        customer = self.customer_sync(organization=invoice.organization)
        due = invoice.amount_due
        session = self.client.v1.checkout.sessions.create(
            {
                "mode": "payment",
                "customer": customer,
                "client_reference_id": str(invoice.pk),
                "locale": "ja" if language.startswith("ja") else "en",
                "payment_method_types": ["card"],
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": "jpy",
                            "unit_amount": due,
                            "product_data": {"name": invoice.number},
                        },
                    }
                ],
                "metadata": {"kyoso_invoice_id": str(invoice.pk)},
                "payment_intent_data": {"metadata": {"kyoso_invoice_id": str(invoice.pk)}},
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            {"idempotency_key": _key("checkout", invoice.pk, due, language, int(timezone.now().timestamp() // 3600))},
        )
        return session.url

    def sync_invoice(self, *, invoice: Invoice) -> str:
        """Apply the Stripe invoice's current state, as the webhooks would have."""
        from ..webhooks import apply_stripe_invoice

        if not invoice.stripe_invoice_id:
            return "not at Stripe"
        si = self.client.v1.invoices.retrieve(invoice.stripe_invoice_id)
        return apply_stripe_invoice(si.to_dict() if hasattr(si, "to_dict") else dict(si))
