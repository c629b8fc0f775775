from .base import PaymentProvider


class BankTransferProvider(PaymentProvider):
    """The embedded default: the invoice goes out by billing's own e-mail with the transfer
    details; staff record each transfer received in the admin. Nothing to tell anyone else."""

    key = "bank_transfer"
