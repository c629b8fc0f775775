"""INQUIRIES_* settings, each with a default that works on the embedded stack."""

from django.conf import settings


def rate_limit() -> tuple[int, int]:
    """Inquiry form submissions allowed per client address: (count, seconds)."""
    return getattr(settings, "INQUIRIES_RATE_LIMIT", (5, 600))


def staff_language() -> str:
    """Language of the notification when the seed has no contact CM e-mail (a CM's own preference wins)."""
    return getattr(settings, "INQUIRIES_STAFF_LANGUAGE", settings.LANGUAGE_CODE)


def fallback_recipients() -> list[str]:
    """Who hears about an inquiry whose seed has no contact CM e-mail."""
    return list(getattr(settings, "INQUIRIES_FALLBACK_RECIPIENTS", []))
