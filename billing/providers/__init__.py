"""Payment providers behind one interface.

`get_provider()` gives the configured one: Stripe when BILLING_STRIPE_SECRET_KEY is set,
otherwise bank transfer, which needs no keys.
"""

from ..app_settings import app_settings
from .base import PaymentProvider


def get_provider() -> PaymentProvider:
    if app_settings.PROVIDER == "stripe":
        from .stripe import StripeProvider

        return StripeProvider()
    from .bank_transfer import BankTransferProvider

    return BankTransferProvider()


__all__ = ["PaymentProvider", "get_provider"]
