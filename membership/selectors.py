"""Reads for screens and checks: entitlements derive from tier and status."""

from django.db.models import QuerySet

from .models import ENTITLED_STATUSES, Membership, MembershipTerms, Organization, Seat, SeatRole

# The entitlements other apps ask about.
SEED_DETAILS = "seed_details"
CONSORTIUM = "consortium"
MATERIALS = "materials"


def seat_for_user(*, user) -> Seat | None:
    if user is None or not user.is_authenticated:
        return None
    return Seat.objects.select_related("organization").filter(user=user).first()


def organization_for_user(*, user) -> Organization | None:
    seat = seat_for_user(user=user)
    return seat.organization if seat else None


def user_can_manage_organization(*, user, organization: Organization) -> bool:
    """Owners and admins manage seats, invitations and billing."""
    return Seat.objects.filter(user=user, organization=organization, role__in=[SeatRole.OWNER, SeatRole.ADMIN]).exists()


def current_membership(*, organization: Organization) -> Membership | None:
    """The open membership (any state but rejected, lapsed, cancelled), if any."""
    return (
        Membership.objects.select_related("tier")
        .filter(organization=organization)
        .exclude(status__in=["rejected", "lapsed", "cancelled"])
        .first()
    )


def entitled_membership(*, organization: Organization) -> Membership | None:
    return (
        Membership.objects.select_related("tier")
        .filter(organization=organization, status__in=ENTITLED_STATUSES)
        .first()
    )


def user_has_entitlement(*, user, entitlement: str) -> bool:
    """May this user use this members-only entitlement?

    Staff always may. Users with a seat in an organization whose membership is
    active (or in its grace period) may, when the tier grants it.
    """
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    membership = (
        Membership.objects.select_related("tier")
        .filter(organization__seats__user=user, status__in=ENTITLED_STATUSES)
        .first()
    )
    if membership is None:
        return False
    tier = membership.tier
    if entitlement == SEED_DETAILS:
        return tier.members_only_seed_details
    if entitlement == CONSORTIUM:
        return tier.consortium_eligible
    return entitlement == MATERIALS


def memberships_for_review(*, status: str | None = None) -> QuerySet[Membership]:
    qs = Membership.objects.select_related("organization", "tier")
    return qs.filter(status=status) if status else qs


def terms_in_force(*, today=None) -> MembershipTerms | None:
    """The membership terms an applicant accepts today: the newest version already in effect."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return MembershipTerms.objects.filter(effective_on__lte=today).order_by("-effective_on", "-pk").first()
