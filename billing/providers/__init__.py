"""Payment providers behind one interface (`base.PaymentProvider`).

`get_provider()` gives the configured one: BILLING_PROVIDER is a dotted path to a
`PaymentProvider` subclass, or one of the short names of the providers billing ships
("stripe", "bank_transfer"). By default Stripe when BILLING_STRIPE_SECRET_KEY is set, otherwise
bank transfer, which needs no keys.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..app_settings import app_settings
from .base import PaymentProvider

ALIASES = {
    "stripe": "billing.providers.stripe.StripeProvider",
    "bank_transfer": "billing.providers.bank_transfer.BankTransferProvider",
}


def get_provider() -> PaymentProvider:
    """A new instance of the configured provider."""
    name = app_settings.PROVIDER
    path = ALIASES.get(name, name)
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"BILLING_PROVIDER is {name!r}: give the dotted path to a billing.providers.PaymentProvider "
            f"subclass, or one of {', '.join(sorted(ALIASES))} ({exc})"
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, PaymentProvider)):
        raise ImproperlyConfigured(f"BILLING_PROVIDER {name!r} is not a billing.providers.PaymentProvider subclass")
    return cls()


__all__ = ["ALIASES", "PaymentProvider", "get_provider"]
