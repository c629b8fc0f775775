from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import CreditNoteSettlement, Invoice


class PaymentProvider:
    """What billing asks of a way to get paid. Subclass it and point BILLING_PROVIDER at
    the subclass's dotted path.

    Billing's services own the state, the e-mails and the reconciliation: they call these
    methods after their own transaction committed (except `credit_note_plan` and
    `credit_note_create`, called before the credit note is written), log a failure and
    keep their own state; `billing_reconcile` brings the provider's copy in line later.
    Every method has a default that does nothing the provider must know about, so a
    provider overrides only what it handles. Methods that write at the provider must be
    safe to repeat (the reconciliation calls them again).
    """

    #: A short name, shown to staff (billing_reconcile's report).
    key = ""
    #: Whether members can pay by card from the invoice page (`checkout_url`).
    supports_checkout = False
    #: Whether a credit note can refund the money through the provider (`credit_note_create`).
    supports_refunds = False
    #: Whether the provider keeps a customer per organization (`customer_sync`).
    keeps_customers = False

    # Invoices ---------------------------------------------------------------------------

    def invoice_issued(self, *, invoice: Invoice) -> None:
        """An invoice was issued (billing has e-mailed it): hand it to the provider.

        Also called by billing_reconcile for each open invoice that `invoice_at_provider`
        says the provider does not hold yet, so it must be safe to repeat."""

    def invoice_at_provider(self, *, invoice: Invoice) -> bool:
        """Whether the provider holds the invoice already (True when it needs none)."""
        return True

    def sync_invoice(self, *, invoice: Invoice) -> str:
        """Re-read the invoice's state at the provider and apply it through billing's
        services, for events that never arrived; returns what happened (billing_reconcile)."""
        return "nothing to sync"

    def invoice_paid_elsewhere(self, *, invoice: Invoice) -> None:
        """The invoice became paid here, e.g. by a recorded transfer: close it at the provider too."""

    def invoice_voided(self, *, invoice: Invoice) -> None:
        """The invoice was voided here: void it at the provider too, so nobody pays it."""

    def invoice_marked_uncollectible(self, *, invoice: Invoice) -> None:
        """The invoice was marked uncollectible here: mark it so at the provider too."""

    def checkout_url(self, *, invoice: Invoice, success_url: str, cancel_url: str, language: str) -> str | None:
        """Where to send a member to pay the invoice now (when `supports_checkout`), or None."""
        return None

    # Credit notes -----------------------------------------------------------------------

    def credit_note_plan(self, *, invoice: Invoice, settlement: str, total: int) -> bool:
        """Before staff's credit note is written: whether it must be made at the provider
        first (then `credit_note_create` is called); raise ValidationError for what the
        provider cannot do."""
        if settlement == CreditNoteSettlement.STRIPE_REFUND:
            raise ValidationError(
                {"settlement": _("Stripe is not set up; refund by bank transfer or keep the credit instead.")},
                code="settlement",
            )
        return False

    def credit_note_create(
        self, *, invoice: Invoice, total: int, settlement: str, reason: str, request_id: str
    ) -> tuple[str, list[str]]:
        """Make the credit note (and any refund) at the provider, with an idempotency key
        from `request_id`: (the note's provider reference, refund ids). Called only when
        `credit_note_plan` returned True."""
        raise NotImplementedError(f"{type(self).__name__} makes no credit notes at the provider")

    # Customers --------------------------------------------------------------------------

    def customer_sync(self, *, organization, force: bool = False) -> str:
        """Create the organization's customer at the provider, or bring it in line (when
        `keeps_customers`); returns its id there. Unchanged since the last sync: nothing
        is sent unless `force`."""
        raise NotImplementedError(f"{type(self).__name__} keeps no customers")
