"""E-mails about registrations: to the person in the language they registered
in, to the event's contact CM in the CM's own notification language. Plain
text only: whatever a person typed reaches the reader as inert text."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .app_settings import app_settings
from .ics import event_calendar


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"events/email/{template}_subject.txt", context)
    body = render_to_string(f"events/email/{template}.txt", context)
    return " ".join(subject.split()), body


def send_registration_confirmation(*, registration) -> None:
    """The attendee's mail holds what the public page does not: the online meeting link,
    in the text, in the attached .ics and behind their own .ics URL."""
    from .selectors import attendee_ics_token

    event = registration.event
    with translation.override(registration.language_code):
        ics_url = event.get_full_url() + event.reverse_subpage("ics")
        context = {
            "registration": registration,
            "event": event,
            "event_url": event.get_full_url(),
            "attendee_ics_url": f"{ics_url}?{urlencode({'registration': attendee_ics_token(registration=registration)})}",
        }
        subject, body = _render("registration_confirmation", context)
        message = EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[registration.email]
        )
        message.attach(f"{event.slug}.ics", event_calendar(event=event, attendee=True), "text/calendar")
        message.send()


def send_registration_status_notice(*, registration) -> None:
    """Staff cancelled the registration, or confirmed a cancelled one again."""
    event = registration.event
    with translation.override(registration.language_code):
        subject, body = _render(
            "registration_status",
            {"registration": registration, "event": event, "event_url": event.get_full_url()},
        )
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[registration.email]).send()


def send_registration_notice_to_cm(*, registration) -> None:
    """To the event's contact CM (or the fallback recipients): a registration
    was made, cancelled or confirmed again; the reply goes to the person."""
    event = registration.event
    cm = event.contact_cm
    if cm is not None and cm.email:
        recipients, language = [cm.email], cm.notification_language
    else:
        recipients, language = app_settings.FALLBACK_RECIPIENTS, app_settings.STAFF_LANGUAGE
    if not recipients:
        return
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(language):
        subject, body = _render(
            "registration_notice",
            {
                "registration": registration,
                # The event as the CM reads the site (the person may have used the other language).
                "event": event.localized.specific,
                "cm": cm,
                "seats_left": _seats_left(event),
                "admin_url": base + reverse("event_registrations:inspect", args=[registration.pk]),
            },
        )
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            reply_to=[registration.email],
        ).send()


def _seats_left(event):
    from .selectors import event_seats_left

    return event_seats_left(event=event)
