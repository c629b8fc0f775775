"""Reads for the news and event screens."""

from django.utils import timezone
from wagtail.models import Locale

from .models import EventPage, EventRegistration, NewsPage, RegistrationStatus


def event_registered_count(*, event: EventPage) -> int:
    """Seats taken over every translation of the event."""
    return EventRegistration.objects.filter(
        event__translation_key=event.translation_key, status=RegistrationStatus.REGISTERED
    ).count()


def event_seats_left(*, event: EventPage) -> int | None:
    """Seats still free, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - event_registered_count(event=event), 0)


def upcoming_events(*, locale: Locale, limit: int) -> list[EventPage]:
    return list(
        EventPage.objects.live()
        .filter(locale=locale, end__gte=timezone.now())
        .order_by("start", "pk")
        .select_related("locale")[:limit]
    )


def latest_news(*, locale: Locale, limit: int) -> list[NewsPage]:
    return list(NewsPage.objects.live().filter(locale=locale).order_by("-date", "-pk")[:limit])
