"""What membership asks of the site, and of the apps that act for it (allauth's adapter
pattern): `MEMBERSHIP_ADAPTER` names a subclass of `DefaultMembershipAdapter`, and
membership calls it through `get_adapter()`.

The adapter's methods are called inside the transition's transaction, so what they write
commits or rolls back with it, and raising (a `ValidationError`, with a message staff can
read) refuses the step and leaves nothing changed. Signals (membership.signals) are only
announcements, sent after the commit; an adapter is where another app takes part in a step.
A host site with billing sets `MEMBERSHIP_ADAPTER = "billing.integration.BillingMembershipAdapter"`.
"""

from django.utils.module_loading import import_string

from .app_settings import app_settings


class DefaultMembershipAdapter:
    """Membership on its own: nobody else takes part in its steps. Subclass and override."""

    def on_approve(self, *, membership, by=None) -> None:
        """A membership was just approved (term and fee set; not yet committed).

        Billing issues the first term's invoice here. Raise ValidationError to refuse the
        approval: nothing is then approved."""

    def approval_summary(self, *, membership, term, fee: int) -> list[tuple[str, str]]:
        """What else approving `membership` for `term` at `fee` yen (excluding tax) will do,
        as (label, value) rows for the confirmation staff see before approving.

        Billing lists the invoice it will issue (fee, tax, total)."""
        return []

    def on_renewal_due(self, *, membership, next_term, fee: int) -> None:
        """A membership's renewal falls due (the daily run, once per term): `next_term`
        (membership.fiscal.Term) is to be charged `fee` yen excluding tax.

        Billing issues the renewal invoice here. Raising stops the daily run with nothing
        of this membership's step recorded, so the next run tries again."""


def get_adapter() -> DefaultMembershipAdapter:
    """An instance of the adapter MEMBERSHIP_ADAPTER names."""
    return import_string(app_settings.ADAPTER)()
