"""Everything that changes registrations."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EventPage, EventRegistration, RegistrationStatus, RegistrationStatusChange
from .notifications import (
    send_registration_confirmation,
    send_registration_notice_to_cm,
    send_registration_status_notice,
)
from .selectors import event_registered_count


class EventFull(Exception):
    """No seat is left."""


class EventClosed(Exception):
    """The event is over or its registration is switched off."""


class RegistrationTransitionError(Exception):
    """The registration cannot move to the status asked for."""


def _lock_event(event: EventPage) -> EventPage:
    """Lock every translation of the event (they share one set of seats) and
    return the event fresh from the database.

    The page rows are locked in primary-key order, so two requests never wait
    on each other crosswise. SQLite has no row locks; there the site's
    IMMEDIATE transactions serialize writers instead.
    """
    locked = list(
        EventPage.objects.select_for_update(of=("self",))
        .filter(translation_key=event.translation_key)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not locked:
        raise EventClosed
    return EventPage.objects.get(pk=event.pk)


def _check_seat(*, event: EventPage, email: str) -> None:
    """Refuse a second active registration of one address, or one seat too many."""
    already = EventRegistration.objects.filter(
        event__translation_key=event.translation_key,
        email__iexact=email,
        status=RegistrationStatus.REGISTERED,
    ).exists()
    if already:
        raise ValidationError({"email": _("This e-mail address is already registered for this event.")})
    if event.capacity is not None and event_registered_count(event=event) >= event.capacity:
        raise EventFull


def registration_create(
    *, event: EventPage, name: str, email: str, company: str = "", language_code: str
) -> EventRegistration:
    """Take a seat at the event; once stored, e-mail a confirmation to the
    person and a notice to the event's contact CM.

    The caller has the person's consent to the privacy policy's purposes of
    use (the registration form requires it); its time is recorded.

    Every translation of the event shares one set of seats; they are locked
    before counting, so concurrent requests cannot both take the last seat.
    """
    with transaction.atomic():
        event = _lock_event(event)
        if not event.accepts_registrations:
            raise EventClosed
        email = email.strip()
        _check_seat(event=event, email=email)
        registration = EventRegistration(
            event=event,
            name=name,
            email=email,
            company=company,
            language_code=language_code,
            consent_given_at=timezone.now(),
        )
        registration.full_clean()
        registration.save()
        RegistrationStatusChange.objects.create(
            registration=registration, from_status="", to_status=registration.status, changed_by=None
        )

        def after_commit() -> None:
            send_registration_confirmation(registration=registration)
            send_registration_notice_to_cm(registration=registration)

        transaction.on_commit(after_commit)
    return registration


def registration_set_status(
    *,
    registration: EventRegistration,
    status: str,
    by: AbstractBaseUser | None,
    note: str = "",
    notify: bool = True,
) -> EventRegistration:
    """Cancel a registration or confirm a cancelled one again, recording who
    did it, when and why; once committed, tell the person (in the language
    they registered in; unless `notify` is off) and the event's contact CM.

    Confirming again takes a seat like a new registration does: the event's
    capacity and the one-registration-per-address rule still hold, even for
    staff. Raises RegistrationTransitionError for an unknown status, EventFull,
    or ValidationError (the address has registered again meanwhile).
    """
    if status not in RegistrationStatus.values:
        raise RegistrationTransitionError(_("Unknown status."))
    with transaction.atomic():
        event = _lock_event(registration.event)
        locked = EventRegistration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == status:
            return locked
        if status == RegistrationStatus.REGISTERED:
            _check_seat(event=event, email=locked.email)
        change = RegistrationStatusChange(
            registration=locked, from_status=locked.status, to_status=status, changed_by=by, note=note
        )
        change.full_clean()
        change.save()
        locked.status = status
        locked.full_clean()
        locked.save(update_fields=["status"])

        def after_commit() -> None:
            if notify:
                send_registration_status_notice(registration=locked)
            send_registration_notice_to_cm(registration=locked)

        transaction.on_commit(after_commit)
    return locked
