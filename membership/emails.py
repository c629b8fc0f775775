"""E-mails the membership app sends, each in its recipient's language.

Called after commit by the services, so a rolled-back change sends nothing.
"""

import datetime as dt

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .app_settings import app_settings
from .fiscal import term_containing
from .models import Membership, Organization, Seat, SeatRole


def _send(*, template: str, context: dict, to: list[str], language: str) -> None:
    to = sorted({address for address in to if address})
    if not to:
        return
    with translation.override(language):
        subject = render_to_string(f"membership/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"membership/email/{template}.txt", context)
    send_mail(subject, body, None, to)


def _url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return app_settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def _managers(organization: Organization) -> list[str]:
    return list(
        Seat.objects.filter(organization=organization, role__in=[SeatRole.OWNER, SeatRole.ADMIN]).values_list(
            "user__email", flat=True
        )
    )


def send_invitation(*, invitation) -> None:
    from .services import invitation_token

    language = invitation.language
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "url": _url("membership:invitation-accept", language, token=invitation_token(invitation=invitation)),
        "days": app_settings.INVITATION_MAX_AGE_DAYS,
    }
    _send(template="invitation", context=context, to=[invitation.email], language=language)


def send_join_request(*, organization: Organization, requester) -> None:
    owner = Seat.objects.filter(organization=organization, role=SeatRole.OWNER).select_related("user").first()
    if owner is None:
        return
    context = {
        "organization": organization,
        "requester": requester,
        "url": _url("membership:team", "ja"),
    }
    # The owner's language is unknown: the message carries both, Japanese first.
    _send(template="join_request", context=context, to=[owner.user.email], language="ja")


def send_rejection(*, membership: Membership, reason: str) -> None:
    recipient = membership.applied_by.email if membership.applied_by else None
    context = {"membership": membership, "organization": membership.organization, "reason": reason}
    _send(template="rejected", context=context, to=[recipient], language=membership.language)


def send_renewal_reminder(*, membership: Membership, days: int) -> None:
    language = membership.language
    next_term = term_containing(membership.term_end + dt.timedelta(days=1))
    context = {
        "membership": membership,
        "organization": membership.organization,
        "days": days,
        "term_end": membership.term_end,
        "next_term_label": next_term.label(language),
        "url": _url("membership:dashboard", language),
    }
    to = _managers(membership.organization) + [membership.organization.billing_contact_email]
    _send(template="renewal_reminder", context=context, to=to, language=language)


def _applicant(membership: Membership) -> list[str]:
    return [membership.applied_by.email] if membership.applied_by else []


def send_application_received(*, membership: Membership) -> None:
    language = membership.language
    context = {
        "membership": membership,
        "organization": membership.organization,
        "url": _url("membership:dashboard", language),
    }
    _send(template="application_received", context=context, to=_applicant(membership), language=language)


def send_application_to_screeners(*, membership: Membership) -> None:
    """Everyone who may decide on applications hears of a new one (in Japanese, then English)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    perm = Permission.objects.filter(content_type__app_label="membership", codename="decide_membership").first()
    screeners = (
        get_user_model()
        .objects.filter(Q(groups__permissions=perm) | Q(user_permissions=perm), is_active=True)
        .distinct()
    )
    context = {
        "membership": membership,
        "organization": membership.organization,
        "url": app_settings.SITE_URL + reverse("membership_application:inspect", args=[membership.pk]),
    }
    _send(
        template="application_new", context=context, to=list(screeners.values_list("email", flat=True)), language="ja"
    )


def send_approval(*, membership: Membership) -> None:
    language = membership.language
    context = {
        "membership": membership,
        "organization": membership.organization,
        "term_label": term_containing(membership.term_start).label(language) if membership.term_start else "",
        "url": _url("membership:dashboard", language),
    }
    _send(template="approved", context=context, to=_applicant(membership), language=language)
