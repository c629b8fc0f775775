import datetime as dt

from django import template
from django.utils import timezone, translation

from kyoso_core.money import format_yen

register = template.Library()


@register.filter
def yen(value) -> str:
    """Integer yen with thousands separators: ¥1,234."""
    return format_yen(value)


@register.filter
def jdate(value) -> str:
    """A date the way the current language writes it: 2026年4月1日 / 1 April 2026."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    if (translation.get_language() or "ja").startswith("en"):
        return f"{value.day} {value.strftime('%B')} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def jst(value) -> str:
    """A moment in the site's time zone (Asia/Tokyo), to the minute, with its zone: 2026/12/05 09:30 JST."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%Y/%m/%d %H:%M} {local.tzname()}"


@register.simple_tag
def issuer_text(issuer, field: str) -> str:
    return issuer.text(field) if issuer else ""


@register.filter
def percent(value) -> str:
    """A rate stored as "10.00" shown as 10%."""
    from decimal import Decimal, InvalidOperation

    try:
        return f"{Decimal(str(value)).normalize():f}%"
    except (InvalidOperation, ValueError):
        return ""
