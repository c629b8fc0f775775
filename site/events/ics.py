"""iCalendar (RFC 5545) files for events, made with the icalendar package."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

JST = ZoneInfo("Asia/Tokyo")


def event_calendar(*, event, request=None, attendee: bool = False) -> bytes:
    """One VEVENT in JST; the UID is shared by every translation of the event. The
    meeting link of an online event only in an attendee's own file (`attendee=True`:
    their confirmation e-mail's attachment, the ics URL with their token); the public
    file says "Online"."""
    # icalendar (80 modules, ~3 MB per worker) is loaded by the first .ics or
    # registration e-mail, not by every web worker at start-up (bench/README.md).
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kyoso Open Innovation Organization//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.translation_key}@{settings.WAGTAIL_SITE_NAME.lower()}")
    vevent.add("dtstamp", datetime.now(UTC))
    vevent.add("dtstart", event.start.astimezone(JST))
    vevent.add("dtend", event.end.astimezone(JST))
    vevent.add("summary", event.title)
    description = event.summary or strip_tags(event.body)
    online = (event.online_url if attendee else _("Online")) if event.online_url else ""
    if attendee and event.online_url:
        description = f"{description}\n{event.online_url}".strip()
    if description:
        vevent.add("description", description)
    location = ", ".join(part for part in (event.venue, online) if part)
    if location:
        vevent.add("location", location)
    url = event.get_full_url(request)
    if url:
        vevent.add("url", url)
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()
