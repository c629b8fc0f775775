"""BILLING_* settings, each with a default that works on the embedded stack (no keys)."""

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, f"BILLING_{name}", default)

    @property
    def TAX_ROUNDING(self) -> str:
        """How the consumption tax per rate is rounded, once per invoice: "down" (切り捨て,
        the common practice and the default), "half_up" (四捨五入) or "up" (切り上げ)."""
        return self._setting("TAX_ROUNDING", "down")

    @property
    def DUE_DAYS(self) -> int:
        """Days from the issue date to the due date."""
        return self._setting("DUE_DAYS", 30)

    @property
    def STRIPE_SECRET_KEY(self) -> str:
        return getattr(settings, "STRIPE_SECRET_KEY", "") or ""

    @property
    def STRIPE_PUBLISHABLE_KEY(self) -> str:
        return getattr(settings, "STRIPE_PUBLISHABLE_KEY", "") or ""

    @property
    def STRIPE_WEBHOOK_SECRET(self) -> str:
        return getattr(settings, "STRIPE_WEBHOOK_SECRET", "") or ""

    @property
    def STRIPE_WEBHOOK_TOLERANCE(self) -> int:
        """Seconds a signed webhook stays acceptable (Stripe's own default)."""
        return self._setting("STRIPE_WEBHOOK_TOLERANCE", 300)

    @property
    def STRIPE_HTTP_CLIENT(self):
        """A `stripe.HTTPClient` instance to talk to Stripe through (tests put a fake here)."""
        return self._setting("STRIPE_HTTP_CLIENT", None)

    @property
    def STRIPE_MAX_RETRIES(self) -> int:
        """Retries of a failed call to Stripe (safe: every POST has an idempotency key)."""
        return self._setting("STRIPE_MAX_RETRIES", 2)

    @property
    def CUSTOMER_RESYNC_DAYS(self) -> int:
        """billing_reconcile sends an organization to its Stripe customer again when the
        last sync is older than this, even unchanged (someone may have edited the customer
        in Stripe's dashboard)."""
        return self._setting("CUSTOMER_RESYNC_DAYS", 30)

    @property
    def PROVIDER(self) -> str:
        """ "stripe" when a Stripe secret key is set, else "bank_transfer"."""
        default = "stripe" if self.STRIPE_SECRET_KEY else "bank_transfer"
        return self._setting("PROVIDER", default)


app_settings = AppSettings()
