"""Reads for the news and event screens."""

from django.core import signing
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


# The attendee's own .ics (`?registration=<token>` on the event's ics URL) is the one
# with the meeting link. The token is the registration's id signed with SECRET_KEY:
# unguessable, and no column to keep.
_ATTENDEE_ICS_SALT = "events.attendee-ics"


def attendee_ics_token(*, registration: EventRegistration) -> str:
    return signing.dumps(registration.pk, salt=_ATTENDEE_ICS_SALT)


def attendee_registration(*, event: EventPage, token: str) -> EventRegistration | None:
    """The registration a token names, if it is a current one for this event (in any of
    its translations); None for a wrong, forged or cancelled one."""
    try:
        pk = signing.loads(token, salt=_ATTENDEE_ICS_SALT)
    except signing.BadSignature:
        return None
    return EventRegistration.objects.filter(
        pk=pk, event__translation_key=event.translation_key, status=RegistrationStatus.REGISTERED
    ).first()
