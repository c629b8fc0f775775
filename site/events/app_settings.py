"""EVENTS_* settings, each with a default that works on the embedded stack."""

from django.conf import settings


def registration_rate_limit() -> tuple[int, int]:
    """Registration attempts allowed per client address: (count, seconds)."""
    return getattr(settings, "EVENTS_REGISTRATION_RATE_LIMIT", (10, 600))


def news_per_page() -> int:
    return getattr(settings, "EVENTS_NEWS_PER_PAGE", 10)


def events_per_page() -> int:
    return getattr(settings, "EVENTS_PER_PAGE", 10)


def staff_language() -> str:
    """Language of notices to staff when the event has no contact CM."""
    return getattr(settings, "EVENTS_STAFF_LANGUAGE", settings.LANGUAGE_CODE)


def fallback_recipients() -> list[str]:
    """Who hears of registrations to an event without a contact CM e-mail."""
    return list(getattr(settings, "EVENTS_FALLBACK_RECIPIENTS", []))
