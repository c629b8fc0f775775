"""Spreadsheet exports that open correctly in Japanese Excel.

Wagtail's list export (`list_export` on a viewset, its SpreadsheetExportMixin)
writes CSV as UTF-8 without a byte-order mark, which Japanese Excel reads as
Shift_JIS (garbled), times as `2026-12-04 09:15:02.123456+00:00` (UTC, with
microseconds), and choices as their stored codes (`applied`, `ja`).
`ExcelFriendlyExportMixin`, put before Wagtail's IndexView, overrides only the
mixin's public methods and attributes:

- `stream_csv`: a BOM before Wagtail's rows; `write_csv_response`: the charset;
- `custom_value_preprocess`: times in the site's time zone (JST) to the second,
  in CSV and XLSX (Wagtail's XLSX default is UTC); True/False as はい/いいえ;
- `to_row_dict`: a field with choices as its label, a language code as the
  language's name, in the admin user's language.
"""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import SpreadsheetExportMixin

CSV = SpreadsheetExportMixin.FORMAT_CSV
XLSX = SpreadsheetExportMixin.FORMAT_XLSX


def local_time(value: datetime.datetime) -> datetime.datetime:
    """The site's local time (JST), to the second, without a time zone (Excel has none)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def local_time_text(value: datetime.datetime) -> str:
    return local_time(value).strftime("%Y-%m-%d %H:%M:%S")


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


class ExcelFriendlyExportMixin:
    """Before Wagtail's IndexView: `class InboxIndexView(ExcelFriendlyExportMixin, IndexView)`."""

    # Fields holding a language code (shown as the language's name).
    export_language_fields = ("language", "language_code")

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {CSV: local_time_text, XLSX: local_time},
        bool: {CSV: yes_no, XLSX: yes_no},
    }

    def stream_csv(self, queryset):
        # Excel takes UTF-8 only with the byte-order mark.
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for name in row:
            *path, attribute = name.split(".")
            owner = item
            for step in path:
                owner = getattr(owner, step, None)
            if owner is None or not hasattr(owner, "_meta"):
                continue
            try:
                field = owner._meta.get_field(attribute)
            except FieldDoesNotExist:
                continue
            if field.choices and not field.is_relation:
                row[name] = getattr(owner, f"get_{attribute}_display")()
            elif attribute in self.export_language_fields and row[name]:
                row[name] = language_name(row[name])
        return row


class ExportIndexView(ExcelFriendlyExportMixin, IndexView):
    """Wagtail's listing with the Excel-friendly export: the `index_view_class` of
    every viewset with a `list_export` (ReadOnlyViewSet's by default)."""
