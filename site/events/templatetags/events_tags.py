from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.translation import get_language
from wagtail.models import Locale

from ..selectors import latest_news as select_latest_news
from ..selectors import upcoming_events as select_upcoming_events

register = template.Library()

JST = ZoneInfo("Asia/Tokyo")


def _fmt(value, fmt: str) -> str:
    return dateformat.format(value.astimezone(JST), fmt)


def _is_japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


def _when_text(event) -> str:
    same_day = event.start.astimezone(JST).date() == event.end.astimezone(JST).date()
    if _is_japanese():
        start = _fmt(event.start, "Y年n月j日（D）H:i")
        end = _fmt(event.end, "H:i" if same_day else "Y年n月j日（D）H:i")
        text = f"{start}〜{end}（日本時間）"
    else:
        start = _fmt(event.start, "D j F Y, H:i")
        end = _fmt(event.end, "H:i" if same_day else "D j F Y, H:i")
        text = f"{start}–{end} JST"
    return text


@register.simple_tag
def event_when(event) -> str:
    """Date and time of an event in JST, written the way each language writes it."""
    return format_html(
        '<time datetime="{}">{}</time>', event.start.astimezone(JST).isoformat(timespec="seconds"), _when_text(event)
    )


@register.simple_tag
def event_when_text(event) -> str:
    """The same, as plain text for e-mails."""
    return _when_text(event)


@register.simple_tag
def news_date(news) -> str:
    text = dateformat.format(news.date, "Y年n月j日" if _is_japanese() else "j F Y")
    return format_html('<time datetime="{}">{}</time>', news.date.isoformat(), text)


def _active_locale() -> Locale:
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return Locale.get_default()


@register.inclusion_tag("events/includes/upcoming_events.html", takes_context=True)
def upcoming_events(context, count: int = 3) -> dict:
    """The next `count` events in the page's language, for the home page."""
    from ..models import EventIndexPage

    locale = _active_locale()
    return {
        "events": select_upcoming_events(locale=locale, limit=count),
        "index": EventIndexPage.objects.live().filter(locale=locale).first(),
        "request": context.get("request"),
    }


@register.inclusion_tag("events/includes/latest_news.html", takes_context=True)
def latest_news(context, count: int = 3) -> dict:
    """The newest `count` news items in the page's language, for the home page."""
    from ..models import NewsIndexPage

    locale = _active_locale()
    return {
        "news": select_latest_news(locale=locale, limit=count),
        "index": NewsIndexPage.objects.live().filter(locale=locale).first(),
        "request": context.get("request"),
    }
