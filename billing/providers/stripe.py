"""Stripe: the customer kept in step with the organization, invoices sent by Stripe
(card, or a per-customer virtual bank account via customer_balance/jp_bank_transfer),
and Checkout for paying by card from the member's invoice page.

Every POST carries an Idempotency-Key built from our own ids, so a retried call
never creates a second object. JPY has no minor unit: amounts go over as integers.
"""

import hashlib
import json

import stripe
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ..app_settings import app_settings
from ..models import BillingCustomer, CreditNoteSettlement, Invoice, InvoiceStatus, PaymentMethod
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
    supports_refunds = True
    keeps_customers = True

    def __init__(self, client: stripe.StripeClient | None = None):
        self.client = client or stripe_client()

    # The customer ---------------------------------------------------------------------

    @staticmethod
    def customer_params(*, organization) -> dict:
        """The Stripe customer as it should be now (empty strings clear a field at Stripe)."""
        contact = " ".join(p for p in [organization.billing_contact_department, organization.billing_contact_name] if p)
        return {
            "name": organization.legal_name,
            "email": organization.billing_contact_email,
            "phone": organization.billing_contact_phone or "",
            "preferred_locales": ["ja", "en"],
            "address": {
                "country": organization.country or "JP",
                "postal_code": organization.postal_code or "",
                "line1": organization.address,
            },
            "metadata": {
                "kyoso_organization_id": str(organization.pk),
                "name_en": organization.name_en or "",
                "billing_contact": contact,
                "corporate_number": organization.corporate_number or "",
            },
        }

    @staticmethod
    def wanted_tax_ids(*, organization) -> dict[str, str]:
        """Stripe tax-id type → value: the qualified-invoice number (jp_trn) and the corporate number (jp_cn)."""
        wanted = {}
        if organization.invoice_registration_number:
            wanted["jp_trn"] = organization.invoice_registration_number
        if organization.corporate_number:
            wanted["jp_cn"] = organization.corporate_number
        return wanted

    def customer_sync(self, *, organization, force: bool = False) -> str:
        """Create the organization's Stripe customer, or bring it in line; returns its id.

        Idempotent: an organization unchanged since the last sync sends nothing; an update
        carries a key from the organization, the count of updates sent and what is sent,
        so a retried update is applied once and a later change (even back to an earlier
        state) is a new request."""
        started = timezone.now()
        bc, _created = BillingCustomer.objects.get_or_create(organization=organization)
        params = self.customer_params(organization=organization)
        wanted = self.wanted_tax_ids(organization=organization)
        digest = hashlib.sha256(json.dumps([params, wanted], sort_keys=True).encode()).hexdigest()
        if bc.stripe_customer_id and bc.synced_hash == digest and not force:
            self._customer_in_step(bc=bc, since=started)
            return bc.stripe_customer_id
        if bc.stripe_customer_id:
            self.client.v1.customers.update(
                bc.stripe_customer_id,
                params,
                {"idempotency_key": _key("customer", organization.pk, "update", bc.sync_count + 1, digest[:16])},
            )
        else:
            create = dict(params)
            create["tax_id_data"] = [{"type": t, "value": v} for t, v in wanted.items()]
            customer = self.client.v1.customers.create(
                create, {"idempotency_key": _key("customer", organization.pk, "create")}
            )
            bc.stripe_customer_id = customer.id
        self._sync_tax_ids(
            customer_id=bc.stripe_customer_id, organization=organization, wanted=wanted, version=bc.sync_count + 1
        )
        bc.synced_at = timezone.now()
        bc.synced_hash = digest
        bc.sync_count += 1
        bc.save(update_fields=["stripe_customer_id", "synced_at", "synced_hash", "sync_count"])
        self._customer_in_step(bc=bc, since=started)
        return bc.stripe_customer_id

    @staticmethod
    def _customer_in_step(*, bc: BillingCustomer, since) -> None:
        """Clear the pending mark and the last error, unless the organization changed again
        after this sync read it (that change has its own sync to come)."""
        BillingCustomer.objects.filter(pk=bc.pk, sync_pending_since__lte=since).update(sync_pending_since=None)
        BillingCustomer.objects.filter(pk=bc.pk).exclude(sync_error="").update(sync_error="")

    def _sync_tax_ids(self, *, customer_id: str, organization, wanted: dict[str, str], version: int) -> None:
        """Stripe cannot change a tax id: a changed number is a new id, and the old one goes."""
        existing = self.client.v1.customers.tax_ids.list(customer_id).data
        have = {(t.type, t.value) for t in existing}
        for tax_id in existing:
            if tax_id.type in ("jp_trn", "jp_cn") and wanted.get(tax_id.type) != tax_id.value:
                self.client.v1.customers.tax_ids.delete(customer_id, tax_id.id)
        for type_, value in wanted.items():
            if (type_, value) not in have:
                self.client.v1.customers.tax_ids.create(
                    customer_id,
                    {"type": type_, "value": value},
                    {"idempotency_key": _key("taxid", organization.pk, type_, value, version)},
                )

    # Invoices -------------------------------------------------------------------------

    def invoice_issued(self, *, invoice: Invoice) -> None:
        """Create, finalize and send the invoice at Stripe (safe to repeat: idempotency keys).
        Billing's e-mail carries the qualified invoice; Stripe's carries its payment page."""
        from ..services.invoices import invoice_set_stripe

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

    def invoice_at_provider(self, *, invoice: Invoice) -> bool:
        return bool(invoice.stripe_invoice_id)

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

    # Void, uncollectible -------------------------------------------------------------

    def _close(self, *, invoice: Invoice, action: str) -> None:
        if not invoice.stripe_invoice_id:
            return
        si = self.client.v1.invoices.retrieve(invoice.stripe_invoice_id)
        if si.status != "open":  # already closed at Stripe (or it told us first)
            return
        method = getattr(self.client.v1.invoices, action)
        method(si.id, None, {"idempotency_key": _key("invoice", invoice.pk, action)})

    def invoice_voided(self, *, invoice: Invoice) -> None:
        self._close(invoice=invoice, action="void_invoice")

    def invoice_marked_uncollectible(self, *, invoice: Invoice) -> None:
        self._close(invoice=invoice, action="mark_uncollectible")

    # Credit notes ----------------------------------------------------------------------

    def _stripe_paid(self, invoice: Invoice) -> tuple[str, int]:
        """(the Stripe id it was paid with: in_… or pi_…, how much came through Stripe)."""
        payments = invoice.payments.filter(method=PaymentMethod.STRIPE).order_by("received_at", "pk")
        first = payments.first()
        paid = payments.aggregate(s=Sum("amount", default=0))["s"]
        return (first.provider_reference.removeprefix("stripe:") if first else ""), paid

    def credit_note_plan(self, *, invoice: Invoice, settlement: str, total: int) -> bool:
        paid_with, paid = self._stripe_paid(invoice)
        if settlement == CreditNoteSettlement.STRIPE_REFUND:
            if not paid_with.startswith(("in_", "pi_")):
                raise ValidationError(
                    {"settlement": _("This invoice was not paid through Stripe; refund it by bank transfer instead.")},
                    code="settlement",
                )
            refunded = sum(
                cn.total for cn in invoice.credit_notes.filter(settlement=CreditNoteSettlement.STRIPE_REFUND)
            )
            if total > paid - refunded:
                raise ValidationError(
                    _("At most %(max)s yen can be refunded through Stripe.") % {"max": f"{paid - refunded:,}"},
                    code="too_much",
                )
            return True
        # Not refunded at Stripe, but an invoice that lives there gets the credit note too,
        # recorded as settled outside Stripe, so both sets of books agree.
        return bool(invoice.stripe_invoice_id)

    def credit_note_create(
        self, *, invoice: Invoice, total: int, settlement: str, reason: str, request_id: str
    ) -> tuple[str, list[str]]:
        key = _key("creditnote", invoice.pk, request_id)
        metadata = {"kyoso_invoice_id": str(invoice.pk), "kyoso_credit_request": request_id}
        paid_with, _paid = self._stripe_paid(invoice)
        if settlement == CreditNoteSettlement.STRIPE_REFUND and paid_with.startswith("pi_"):
            # Paid by Checkout: the money sits on the PaymentIntent, not on the Stripe invoice.
            refund = self.client.v1.refunds.create(
                {"payment_intent": paid_with, "amount": total, "reason": "requested_by_customer", "metadata": metadata},
                {"idempotency_key": key + "-refund"},
            )
            return f"stripe-refund:{refund.id}", [refund.id]
        stripe_invoice = paid_with if paid_with.startswith("in_") else invoice.stripe_invoice_id
        with override("ja"):
            description = _("Return for invoice %(number)s") % {"number": invoice.number}
        params = {
            "invoice": stripe_invoice,
            "lines": [{"type": "custom_line_item", "description": description, "quantity": 1, "unit_amount": total}],
            "memo": reason[:500],
            "metadata": metadata,
        }
        if settlement == CreditNoteSettlement.STRIPE_REFUND:
            params["refund_amount"] = total
        else:
            params["out_of_band_amount"] = total
        note = self.client.v1.credit_notes.create(params, {"idempotency_key": key}).to_dict()
        refund_ids = []
        for entry in note.get("refunds") or []:
            refund = entry.get("refund")
            refund_ids.append(refund if isinstance(refund, str) else (refund or {}).get("id"))
        if isinstance(note.get("refund"), str):  # API versions before 2025: one refund id
            refund_ids.append(note["refund"])
        return f"stripe-cn:{note['id']}", [r for r in refund_ids if r]
