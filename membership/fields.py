"""Fields for numbers people type: what an IME produces is normalized before anything validates it.

Japanese input methods give full-width digits and letters (７０００, Ｔ) and several dashes (－, ー, ‐, −).
NFKC turns full-width forms into ASCII; the dashes are then made one ASCII hyphen, or dropped from
identifiers, whose hyphens and spaces are only for reading (7000-01-2050002 is 7000012050002).
"""

import re
import unicodedata

from django import forms
from django.db import models

_DASHES = re.compile("[\u2010-\u2015\u2212\u30fc\uff70-]")
_SPACES = re.compile(r"\s+")


def normalize_typed(value: str, *, compact: bool = False) -> str:
    """NFKC, every dash a hyphen, spaces collapsed; compact: no hyphens or spaces, upper case."""
    value = unicodedata.normalize("NFKC", value or "")
    value = _DASHES.sub("-", value)
    if compact:
        return _SPACES.sub("", value).replace("-", "").upper()
    return _SPACES.sub(" ", value).strip()


class TypedNumberFormField(forms.CharField):
    def __init__(self, *, compact: bool = False, **kwargs):
        self.compact = compact
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_typed(value, compact=self.compact)


class TypedNumberField(models.CharField):
    """A phone number or postal code: NFKC and one kind of hyphen, before max_length and validators."""

    compact = False

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        return normalize_typed(value, compact=self.compact)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": TypedNumberFormField, "compact": self.compact, **kwargs})


class IdentifierField(TypedNumberField):
    """A corporate or registration number: as TypedNumberField, and no hyphens or spaces at all."""

    compact = True
