"""What the membership guide shows, read from membership's data (and billing's tax rate when
billing is installed): the page and the application form can never disagree on a fee."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from membership.models import Tier
from membership.selectors import terms_in_force


@dataclass
class TierRow:
    tier: Tier
    fee_excluding_tax: int
    fee_including_tax: int | None


def _with_tax():
    """A function giving the fee including consumption tax, or None without billing."""
    if not apps.is_installed("billing"):
        return None
    from billing.app_settings import app_settings
    from billing.models import TaxRate
    from billing.tax import tax_on

    rate = TaxRate.objects.filter(is_default=True, is_active=True).first()
    if rate is None:
        return None
    return lambda amount: amount + tax_on(amount=amount, percent=rate.percent, rounding=app_settings.TAX_ROUNDING)


def guide_context() -> dict:
    with_tax = _with_tax()
    rows = [
        TierRow(tier=t, fee_excluding_tax=t.annual_fee, fee_including_tax=with_tax(t.annual_fee) if with_tax else None)
        for t in Tier.objects.filter(is_active=True)
    ]
    try:
        apply_url = reverse("membership:apply")
        signup_url = reverse("account_signup")
    except NoReverseMatch:
        apply_url = signup_url = None
    return {"tier_rows": rows, "terms": terms_in_force(), "apply_url": apply_url, "signup_url": signup_url}
