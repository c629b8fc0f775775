from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import CreditNoteSettlement, Invoice


class PaymentProvider:
    """What billing asks of a way to get paid. Subclass and point BILLING_PROVIDER at it."""

    key = ""
    #: Whether members can pay by card from the invoice page.
    supports_checkout = False

    def invoice_issued(self, *, invoice: Invoice) -> None:
        """After the issuing transaction committed: send the invoice to the recipient."""
        raise NotImplementedError

    def invoice_paid_elsewhere(self, *, invoice: Invoice) -> None:
        """After an invoice became paid, e.g. by a recorded transfer: close it at the provider too."""

    def checkout_url(self, *, invoice: Invoice, success_url: str, cancel_url: str, language: str) -> str | None:
        """Where to send a member to pay by card now, or None."""
        return None

    def sync_invoice(self, *, invoice: Invoice) -> str:
        """Re-read the invoice's state at the provider and apply it; returns what happened."""
        return "nothing to sync"

    def invoice_voided(self, *, invoice: Invoice) -> None:
        """After an invoice was voided here: void it at the provider too, so nobody pays it."""

    def invoice_marked_uncollectible(self, *, invoice: Invoice) -> None:
        """After an invoice was marked uncollectible here: mark it so at the provider too."""

    def credit_note_plan(self, *, invoice: Invoice, settlement: str, total: int) -> bool:
        """Whether a credit note must be made at the provider first (refusing what it cannot do)."""
        if settlement == CreditNoteSettlement.STRIPE_REFUND:
            raise ValidationError(
                {"settlement": _("Stripe is not set up; refund by bank transfer or keep the credit instead.")},
                code="settlement",
            )
        return False

    def credit_note_create(
        self, *, invoice: Invoice, total: int, settlement: str, reason: str, request_id: str
    ) -> tuple[str, list[str]]:
        """Make the credit note (and any refund) at the provider: (our provider reference, refund ids)."""
        raise NotImplementedError
