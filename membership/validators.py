"""Validators for Japanese business identifiers, through python-stdnum."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.jp import cn

from .fields import normalize_typed


def normalize_corporate_number(value: str) -> str:
    return normalize_typed(value, compact=True)


def validate_corporate_number(value: str) -> None:
    """法人番号: 13 digits whose first digit is a check digit over the other 12."""
    try:
        cn.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid 13-digit corporate number (法人番号); the check digit does not match."),
            code="invalid_corporate_number",
        ) from exc


def normalize_registration_number(value: str) -> str:
    return normalize_typed(value, compact=True)


def validate_registration_number(value: str) -> None:
    """適格請求書発行事業者登録番号: "T" followed by a 13-digit number with a valid check digit."""
    value = normalize_registration_number(value)
    if not value.startswith("T"):
        raise ValidationError(
            _("A qualified-invoice registration number starts with T followed by 13 digits."),
            code="invalid_registration_number",
        )
    try:
        cn.validate(value[1:])
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid registration number: T followed by 13 digits with a valid check digit."),
            code="invalid_registration_number",
        ) from exc
