"""The consumption-tax rates invoices are computed with."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import TaxRate

STATUTORY_RATES = [
    {"percent": Decimal("10.00"), "name_ja": "標準税率", "name_en": "Standard rate", "is_default": True},
    {"percent": Decimal("8.00"), "name_ja": "軽減税率", "name_en": "Reduced rate", "is_default": False},
]


def default_tax_rate() -> TaxRate:
    """The default rate. The data migration adds Japan's rates; should the table be empty
    (a flushed database), they are put back rather than refusing to invoice."""
    if not TaxRate.objects.exists():
        for spec in STATUTORY_RATES:
            TaxRate.objects.get_or_create(percent=spec["percent"], defaults=spec)
    rate = TaxRate.objects.filter(is_default=True, is_active=True).first()
    if rate is None:
        raise ValidationError(_("No default tax rate is set up."), code="no_tax_rate")
    return rate
