from ..models import Invoice


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
