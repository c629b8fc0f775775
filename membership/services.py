"""Everything that changes a membership's state.

Each transition locks the row, checks the current state, writes the new state
and a history row (who, when, why) and announces it, all in one transaction.
Nothing else writes `Membership.status`.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import signals
from .app_settings import app_settings
from .fiscal import Term, prorated_fee, term_containing
from .models import Membership, MembershipStatus, MembershipTransition, Organization, Seat, SeatRole, Tier

S = MembershipStatus

# to_status → the states it may be reached from
ALLOWED_FROM: dict[str, set[str]] = {
    S.SCREENING: {S.APPLIED},
    S.APPROVED: {S.SCREENING},
    S.REJECTED: {S.SCREENING},
    S.INVOICED: {S.APPROVED},
    S.ACTIVE: {S.INVOICED, S.ACTIVE, S.GRACE},  # active → active is a renewed term
    S.GRACE: {S.ACTIVE},
    S.LAPSED: {S.GRACE},
    S.CANCELLED: {S.APPLIED, S.SCREENING, S.APPROVED, S.INVOICED, S.ACTIVE, S.GRACE},
}

ANNOUNCE = {
    S.APPLIED: signals.membership_applied,
    S.APPROVED: signals.membership_approved,
    S.REJECTED: signals.membership_rejected,
    S.INVOICED: signals.membership_invoiced,
    S.ACTIVE: signals.membership_activated,
    S.GRACE: signals.membership_grace_started,
    S.LAPSED: signals.membership_lapsed,
    S.CANCELLED: signals.membership_cancelled,
}


class TransitionNotAllowed(ValidationError):
    """The membership is not in a state this step may start from."""


def _transition(
    *, membership: Membership, to: str, by, reason: str = "", data: dict | None = None, **changes
) -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status not in ALLOWED_FROM[to]:
            raise TransitionNotAllowed(
                _("This membership is %(current)s; it cannot become %(target)s.")
                % {"current": locked.get_status_display(), "target": S(to).label},
                code="transition_not_allowed",
            )
        from_status = locked.status
        locked.status = to
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.full_clean()
        locked.save()
        MembershipTransition.objects.create(
            membership=locked,
            from_status=from_status,
            to_status=to,
            by=by,
            reason=reason,
            data=data or {},
        )
        signals.membership_changed.send(
            sender=Membership, membership=locked, from_status=from_status, to_status=to, by=by, reason=reason
        )
        if from_status == S.ACTIVE and to == S.ACTIVE:
            signals.membership_renewed.send(sender=Membership, membership=locked, by=by, reason=reason)
        elif to in ANNOUNCE:
            ANNOUNCE[to].send(sender=Membership, membership=locked, by=by, reason=reason)
    membership.refresh_from_db()
    return locked


def organization_register(*, organization: Organization, owner) -> Organization:
    """Save a new organization and give its creator the owner's seat."""
    with transaction.atomic():
        organization.created_by = owner
        organization.full_clean()
        organization.save()
        seat = Seat(organization=organization, user=owner, role=SeatRole.OWNER)
        seat.full_clean()
        seat.save()
        signals.organization_registered.send(sender=Organization, organization=organization, by=owner)
    return organization


def membership_apply(*, organization: Organization, tier: Tier, by, today: dt.date | None = None) -> Membership:
    """An organization applies for a tier; refused while it has an open membership."""
    if not tier.is_active:
        raise ValidationError(_("This tier is not open for applications."), code="tier_inactive")
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        if Membership.objects.filter(organization=organization, status__in=ALLOWED_FROM[S.CANCELLED]).exists():
            raise ValidationError(
                _("Your organization already has a membership in progress."), code="membership_exists"
            )
        membership = Membership(organization=organization, tier=tier, applied_by=by)
        membership.full_clean()
        membership.save()
        MembershipTransition.objects.create(membership=membership, from_status="", to_status=S.APPLIED, by=by)
        signals.membership_changed.send(
            sender=Membership, membership=membership, from_status="", to_status=S.APPLIED, by=by, reason=""
        )
        signals.membership_applied.send(sender=Membership, membership=membership, by=by, reason="")
    return membership


def membership_start_screening(*, membership: Membership, by, reason: str = "") -> Membership:
    return _transition(membership=membership, to=S.SCREENING, by=by, reason=reason)


def membership_approve(*, membership: Membership, by, reason: str = "", today: dt.date | None = None) -> Membership:
    """Approve; the term is the fiscal year containing `today` and the fee is prorated."""
    today = today or timezone.localdate()
    term = term_containing(today)
    fee = prorated_fee(annual_fee=membership.tier.annual_fee, joined_on=today, policy=app_settings.PRORATION)
    return _transition(
        membership=membership,
        to=S.APPROVED,
        by=by,
        reason=reason,
        term_start=term.start,
        term_end=term.end,
        fee=fee,
        data={"fiscal_year": term.fiscal_year, "proration": app_settings.PRORATION},
    )


def membership_reject(*, membership: Membership, by, reason: str) -> Membership:
    if not reason.strip():
        raise ValidationError(_("Give the reason for the rejection; it is sent to the applicant."), code="reason")
    return _transition(membership=membership, to=S.REJECTED, by=by, reason=reason)


def membership_mark_invoiced(*, membership: Membership, by=None, reason: str = "") -> Membership:
    """Billing issued the invoice for the (first) term."""
    return _transition(membership=membership, to=S.INVOICED, by=by, reason=reason)


def membership_activate(*, membership: Membership, by=None, reason: str = "") -> Membership:
    """The first term's invoice is paid (or a grace-period renewal was paid)."""
    return _transition(membership=membership, to=S.ACTIVE, by=by, reason=reason)


def membership_renew(
    *, membership: Membership, term: Term, by=None, reason: str = "", tier: Tier | None = None
) -> Membership:
    """The next term is paid: the membership stays (or becomes again) active for `term`."""
    changes = {"term_start": term.start, "term_end": term.end, "fee": (tier or membership.tier).annual_fee}
    data = {"fiscal_year": term.fiscal_year}
    if tier is not None and tier.pk != membership.tier_id:
        changes["tier"] = tier
        data["tier_change"] = {"from": membership.tier_id, "to": tier.pk}
    return _transition(membership=membership, to=S.ACTIVE, by=by, reason=reason, data=data, **changes)


def membership_start_grace(*, membership: Membership, by=None, reason: str = "") -> Membership:
    return _transition(membership=membership, to=S.GRACE, by=by, reason=reason)


def membership_lapse(*, membership: Membership, by=None, reason: str = "") -> Membership:
    return _transition(membership=membership, to=S.LAPSED, by=by, reason=reason)


def membership_cancel(*, membership: Membership, by, reason: str = "") -> Membership:
    return _transition(membership=membership, to=S.CANCELLED, by=by, reason=reason)
