"""E-mails about registrations, in the language the person registered in."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from .ics import event_calendar


def send_registration_confirmation(*, registration) -> None:
    event = registration.event
    with translation.override(registration.language_code):
        context = {
            "registration": registration,
            "event": event,
            "event_url": event.get_full_url(),
        }
        subject = render_to_string("events/email/registration_confirmation_subject.txt", context)
        body = render_to_string("events/email/registration_confirmation.txt", context)
        message = EmailMessage(
            subject=" ".join(subject.split()),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email],
        )
        message.attach(f"{event.slug}.ics", event_calendar(event=event), "text/calendar")
        message.send()
