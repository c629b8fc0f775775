"""BILLING_* settings, each with a default that works on the embedded stack (no keys)."""

from kyoso_core.app_settings import PrefixedSettings


class AppSettings(PrefixedSettings):
    prefix = "BILLING_"

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
        """Stripe's secret key; empty means bank transfer only. The old name
        `STRIPE_SECRET_KEY` is still read."""
        return self._setting("STRIPE_SECRET_KEY", "", old_name="STRIPE_SECRET_KEY")

    @property
    def STRIPE_PUBLISHABLE_KEY(self) -> str:
        """Stripe's publishable key (old name `STRIPE_PUBLISHABLE_KEY`, still read)."""
        return self._setting("STRIPE_PUBLISHABLE_KEY", "", old_name="STRIPE_PUBLISHABLE_KEY")

    @property
    def STRIPE_WEBHOOK_SECRET(self) -> str:
        """The signing secret of the Stripe webhook endpoint (old name `STRIPE_WEBHOOK_SECRET`, still read)."""
        return self._setting("STRIPE_WEBHOOK_SECRET", "", old_name="STRIPE_WEBHOOK_SECRET")

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
        """The payment provider: the dotted path to a `billing.providers.PaymentProvider`
        subclass, or "stripe" / "bank_transfer" for the ones billing ships. Default: "stripe"
        when a Stripe secret key is set, else "bank_transfer"."""
        default = "stripe" if self.STRIPE_SECRET_KEY else "bank_transfer"
        return self._setting("PROVIDER", default)


app_settings = AppSettings()
