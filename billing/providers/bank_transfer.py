from ..emails import send_invoice_issued
from ..models import Invoice
from .base import PaymentProvider


class BankTransferProvider(PaymentProvider):
    """The embedded default: the invoice goes out by e-mail with the transfer details;
    staff record each transfer received in the admin."""

    key = "bank_transfer"

    def invoice_issued(self, *, invoice: Invoice) -> None:
        send_invoice_issued(invoice=invoice)
