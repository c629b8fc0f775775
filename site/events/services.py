"""Everything that changes registrations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import EventPage, EventRegistration, RegistrationStatus
from .notifications import send_registration_confirmation
from .selectors import event_registered_count


class EventFull(Exception):
    """No seat is left."""


class EventClosed(Exception):
    """The event is over or its registration is switched off."""


def registration_create(
    *, event: EventPage, name: str, email: str, company: str = "", language_code: str
) -> EventRegistration:
    """Take a seat at the event and e-mail a confirmation once it is stored.

    Every translation of the event shares one set of seats. Their page rows
    are locked (in primary-key order, so two requests never wait on each
    other crosswise) before counting, so concurrent requests cannot both take
    the last seat. SQLite has no row locks; there the site's IMMEDIATE
    transactions serialize writers instead.
    """
    with transaction.atomic():
        locked = list(
            EventPage.objects.select_for_update(of=("self",))
            .filter(translation_key=event.translation_key)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        event = EventPage.objects.get(pk=event.pk)
        if not locked or not event.accepts_registrations:
            raise EventClosed
        email = email.strip()
        already = EventRegistration.objects.filter(
            event__translation_key=event.translation_key,
            email__iexact=email,
            status=RegistrationStatus.REGISTERED,
        ).exists()
        if already:
            raise ValidationError({"email": _("This e-mail address is already registered for this event.")})
        if event.capacity is not None and event_registered_count(event=event) >= event.capacity:
            raise EventFull
        registration = EventRegistration(
            event=event, name=name, email=email, company=company, language_code=language_code
        )
        registration.full_clean()
        registration.save()
        transaction.on_commit(lambda: send_registration_confirmation(registration=registration))
    return registration
