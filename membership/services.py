"""Everything that changes a membership's state.

Each transition locks the row, checks the current state and writes the new state and a
history row (who, when, why) in one transaction, and announces it once that commits
(membership.signals). Where another app takes part in a step (billing invoices an
approval), membership calls the site's adapter (membership.adapter) inside the transaction.
Nothing else writes `Membership.status`.
"""

import datetime as dt

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kyoso_core.history import SystemReason, split_reason
from kyoso_core.signals import announce

from . import emails, selectors, signals
from .adapter import get_adapter
from .app_settings import app_settings
from .fiscal import Term, charged_term, prorated_fee, term_containing
from .models import (
    OPEN_STATUSES,
    REASON_GRACE_ENDED_UNPAID,
    REASON_INVOICED,
    REASON_TERM_ENDED_UNPAID,
    CheckKind,
    CheckResult,
    Invitation,
    Membership,
    MembershipNotice,
    MembershipStatus,
    MembershipTerms,
    MembershipTransition,
    Organization,
    ScreeningCheck,
    Seat,
    SeatRole,
    TermsAcceptance,
    Tier,
)
from .selectors import current_membership, user_can_manage_organization

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
        reason, data = split_reason(reason, data)
        MembershipTransition.objects.create(
            membership=locked,
            from_status=from_status,
            to_status=to,
            by=by,
            reason=reason,
            data=data,
        )
        announce(
            signals.membership_changed,
            sender=Membership,
            membership=locked,
            from_status=from_status,
            to_status=to,
            by=by,
            reason=reason,
        )
        if from_status == S.ACTIVE and to == S.ACTIVE:
            announce(signals.membership_renewed, sender=Membership, membership=locked, by=by, reason=reason)
        elif to in ANNOUNCE:
            announce(ANNOUNCE[to], sender=Membership, membership=locked, by=by, reason=reason)
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
        announce(signals.organization_registered, sender=Organization, organization=organization, by=owner)
    return organization


def membership_apply(
    *,
    organization: Organization,
    tier: Tier,
    by,
    today: dt.date | None = None,
    language: str | None = None,
    terms: MembershipTerms | None = None,
) -> Membership:
    """An organization applies for a tier; refused while it has an open membership.
    `language` (default: the active one) is the language decisions are e-mailed in.
    When membership terms are in force, `terms` is the version the applicant `by` read and
    accepted: it must be the one in force, and the acceptance is recorded with the application."""
    if not tier.is_active:
        raise ValidationError(_("This tier is not open for applications."), code="tier_inactive")
    in_force = selectors.terms_in_force(today=today)
    if in_force is not None and (terms is None or by is None):
        raise ValidationError(_("Accept the membership terms to apply."), code="terms_required")
    if in_force is not None and terms.pk != in_force.pk:
        raise ValidationError(
            _("The membership terms have changed since you opened the page. Read the new version and accept it."),
            code="terms_changed",
        )
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        if Membership.objects.filter(organization=organization, status__in=ALLOWED_FROM[S.CANCELLED]).exists():
            raise ValidationError(
                _("Your organization already has a membership in progress."), code="membership_exists"
            )
        language = (language or get_language() or "ja")[:2]
        membership = Membership(organization=organization, tier=tier, applied_by=by, language=language)
        membership.full_clean()
        membership.save()
        MembershipTransition.objects.create(membership=membership, from_status="", to_status=S.APPLIED, by=by)
        if in_force is not None:
            TermsAcceptance.objects.create(
                membership=membership,
                terms=in_force,
                user=by,
                language=language,
                text_sha256=in_force.sha256(language),
            )
        announce(
            signals.membership_changed,
            sender=Membership,
            membership=membership,
            from_status="",
            to_status=S.APPLIED,
            by=by,
            reason="",
        )
        announce(signals.membership_applied, sender=Membership, membership=membership, by=by, reason="")
        transaction.on_commit(lambda: emails.send_application_received(membership=membership))
        transaction.on_commit(lambda: emails.send_application_to_screeners(membership=membership))
    return membership


def membership_start_screening(*, membership: Membership, by, reason: str = "") -> Membership:
    return _transition(membership=membership, to=S.SCREENING, by=by, reason=reason)


def membership_approve(*, membership: Membership, by, reason: str = "", today: dt.date | None = None) -> Membership:
    """Approve; the term is the part of the fiscal year containing `today` that is charged
    (from the first of this month, or the whole year under the `full` policy) and the fee is
    prorated to it.

    The screening checklist is part of the transition (not only of the staff screen), so
    no caller can approve around it: a clear conflict-of-interest check always, and a
    clear export-control check for a foreign organization. The adapter's `on_approve` runs
    in this transaction (billing issues the first invoice there, so the returned membership
    may already be invoiced); if it raises, nothing is approved. `membership_approved` is
    announced after the commit."""
    term, fee = approval_preview(membership=membership, today=today)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        # A membership in the wrong state gets the transition's own message below.
        if locked.status in ALLOWED_FROM[S.APPROVED]:
            missing = screening_missing_checks(membership=locked)
            if missing:
                raise ValidationError(
                    _("Complete these checks first: %(checks)s")
                    % {"checks": ", ".join(str(CheckKind(k).label) for k in missing)},
                    code="checks_missing",
                )
        approved = _transition(
            membership=membership,
            to=S.APPROVED,
            by=by,
            reason=reason,
            term_start=term.start,
            term_end=term.end,
            fee=fee,
            data={"fiscal_year": term.fiscal_year, "proration": app_settings.PRORATION},
        )
        get_adapter().on_approve(membership=approved, by=by)
        transaction.on_commit(lambda: emails.send_approval(membership=membership))
    membership.refresh_from_db()
    return membership


def membership_reject(*, membership: Membership, by, reason: str) -> Membership:
    """Reject; the reason is e-mailed to the applicant in the language they applied in."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the rejection; it is sent to the applicant."), code="reason")
    with transaction.atomic():
        rejected = _transition(membership=membership, to=S.REJECTED, by=by, reason=reason)
        transaction.on_commit(lambda: emails.send_rejection(membership=rejected, reason=reason))
    return rejected


def membership_mark_invoiced(
    *, membership: Membership, by=None, reason: str = "", invoice_number: str = ""
) -> Membership:
    """Billing issued the invoice for the (first) term (its number, when given, is the reason)."""
    if invoice_number and not reason:
        reason = SystemReason(REASON_INVOICED, {"number": invoice_number})
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


# ---------------------------------------------------------------------------
# Screening: the checklist before a decision
# ---------------------------------------------------------------------------

EXPORT_CONTROL_PERMISSION = "membership.record_export_control"
DECIDE_PERMISSION = "membership.decide_membership"


def screening_record_check(*, membership: Membership, kind: str, result: str, note: str = "", by) -> ScreeningCheck:
    """Record (or re-record) one screening check. Only holders of the export-control
    permission (the 法務CM group) may record the export-control check."""
    if kind == CheckKind.EXPORT_CONTROL and not by.has_perm(EXPORT_CONTROL_PERMISSION):
        raise PermissionDenied(_("Only Legal CMs (法務CM) may complete the export-control check."))
    if not by.has_perm(DECIDE_PERMISSION) and not by.has_perm(EXPORT_CONTROL_PERMISSION):
        raise PermissionDenied(_("You may not screen applications."))
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status not in (S.APPLIED, S.SCREENING):
            raise TransitionNotAllowed(
                _("Checks are recorded while an application is being screened."), code="not_screening"
            )
        if locked.status == S.APPLIED:
            _transition(membership=locked, to=S.SCREENING, by=by, reason=_("Screening started"))
        check, _created = ScreeningCheck.objects.get_or_create(
            membership=locked, kind=kind, defaults={"result": result, "note": note, "by": by}
        )
        check.result, check.note, check.by = result, note, by
        check.full_clean()
        check.save()
    membership.refresh_from_db()
    return check


def screening_missing_checks(*, membership: Membership) -> list[str]:
    """The checks still needed before an approval: a clear conflict-of-interest check
    always, and a clear export-control check for a foreign organization."""
    needed = [CheckKind.CONFLICT_OF_INTEREST]
    if membership.organization.is_foreign:
        needed.append(CheckKind.EXPORT_CONTROL)
    clear = set(membership.checks.filter(result=CheckResult.CLEAR).values_list("kind", flat=True))
    return [kind for kind in needed if kind not in clear]


def approval_preview(*, membership: Membership, today: dt.date | None = None) -> tuple[Term, int]:
    """The term and the fee (yen, excluding tax) approving `membership` today would set, as
    `membership_approve` sets them: for the confirmation before approving."""
    today = today or timezone.localdate()
    term = charged_term(joined_on=today, policy=app_settings.PRORATION)
    return term, prorated_fee(annual_fee=membership.tier.annual_fee, joined_on=today, policy=app_settings.PRORATION)


def screening_approve(*, membership: Membership, by, reason: str = "", today: dt.date | None = None) -> Membership:
    """Approve from the staff screen: the decider's permission here, the checklist in the
    transition itself (`membership_approve`)."""
    if not by.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied(_("You may not decide applications."))
    return membership_approve(membership=membership, by=by, reason=reason, today=today)


def screening_reject(*, membership: Membership, by, reason: str) -> Membership:
    if not by.has_perm(DECIDE_PERMISSION):
        raise PermissionDenied(_("You may not decide applications."))
    return membership_reject(membership=membership, by=by, reason=reason)


# ---------------------------------------------------------------------------
# Tier changes
# ---------------------------------------------------------------------------


def _record(*, membership: Membership, by, reason: str = "", data: dict) -> None:
    MembershipTransition.objects.create(
        membership=membership,
        from_status=membership.status,
        to_status=membership.status,
        by=by,
        reason=reason,
        data=data,
    )


def membership_change_tier(*, membership: Membership, tier: Tier, by, reason: str = "") -> Membership:
    """Change the tier. Before approval the application simply changes; once approved,
    the change is kept as `next_tier` and takes effect with the next term (the current
    term's fee is already set). Either way the change is recorded in the history."""
    if not tier.is_active:
        raise ValidationError(_("This tier is not open for applications."), code="tier_inactive")
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("tier").get(pk=membership.pk)
        if locked.status not in OPEN_STATUSES:
            raise TransitionNotAllowed(_("This membership is closed; apply again instead."), code="closed")
        if tier.pk == locked.tier_id and locked.next_tier_id in (None, tier.pk):
            raise ValidationError(_("That is already your tier."), code="same_tier")
        direction = "upgrade" if tier.annual_fee > locked.tier.annual_fee else "downgrade"
        data = {"tier_change": {"from": locked.tier_id, "to": tier.pk, "direction": direction}}
        if locked.status in (S.APPLIED, S.SCREENING):
            locked.tier = tier
            locked.next_tier = None
        else:
            locked.next_tier = None if tier.pk == locked.tier_id else tier
            data["tier_change"]["effective"] = "next_term"
        locked.full_clean()
        locked.save()
        _record(membership=locked, by=by, reason=reason, data=data)
    membership.refresh_from_db()
    return locked


# ---------------------------------------------------------------------------
# Organizations and seats
# ---------------------------------------------------------------------------


class DuplicateOrganization(ValidationError):
    """An organization with this corporate number exists; its owner has been told."""


def organization_request_to_join(*, corporate_number: str, requester, language: str) -> None:
    """Someone tried to register an existing organization: tell its owner (not them) so
    the owner can invite them. Nothing about the organization is shown to the requester."""
    existing = Organization.objects.filter(corporate_number=corporate_number).first()
    if existing is None:
        return
    # One notice a day per requester and organization, so retries cannot flood the owner.
    if not cache.add(f"membership:join-request:{existing.pk}:{requester.pk}", 1, timeout=24 * 60 * 60):
        return
    transaction.on_commit(lambda: emails.send_join_request(organization=existing, requester=requester))


def organization_update(*, organization: Organization, by, **fields) -> Organization:
    """Change an organization's details and announce which fields changed
    (`organization_updated`), so billing can bring its payment-provider customer in step."""
    if not user_can_manage_organization(user=by, organization=organization):
        raise PermissionDenied(_("Only the organization's owner or administrators may edit it."))
    with transaction.atomic():
        changed = [name for name, value in fields.items() if getattr(organization, name) != value]
        for name, value in fields.items():
            setattr(organization, name, value)
        organization.full_clean()
        organization.save()
        organization_announce_update(organization=organization, changed=changed, by=by)
    return organization


def organization_announce_update(*, organization: Organization, changed: list[str], by) -> None:
    """Announce saved changes to an organization. Staff edits in the Wagtail admin are saved
    by Wagtail's own edit action (it keeps the admin's log) and announced here, so billing
    hears of them exactly as of a member's own edit."""
    if changed:
        announce(signals.organization_updated, sender=Organization, organization=organization, changed=changed, by=by)


def seat_limit(*, organization: Organization) -> int:
    membership = current_membership(organization=organization)
    if membership is None:
        return app_settings.SEATS_WITHOUT_MEMBERSHIP
    tiers = [membership.tier] + ([membership.next_tier] if membership.next_tier else [])
    return max(t.seats for t in tiers)


def seats_used(*, organization: Organization) -> int:
    """Seats taken plus invitations still pending: an invitation holds its seat."""
    cutoff = timezone.now() - dt.timedelta(days=app_settings.INVITATION_MAX_AGE_DAYS)
    pending = organization.invitations.filter(accepted_at=None, revoked_at=None, created_at__gte=cutoff).count()
    return organization.seats.count() + pending


def _refuse_when_full(*, organization: Organization, counting_pending: bool = True) -> None:
    used = seats_used(organization=organization) if counting_pending else organization.seats.count()
    limit = seat_limit(organization=organization)
    if used >= limit:
        raise ValidationError(
            _(
                "All %(limit)s seats of your tier are taken. Remove a member or revoke an invitation, "
                "or move to a tier with more seats."
            )
            % {"limit": limit},
            code="seats_full",
        )


def invitation_create(*, organization: Organization, email: str, role: str, by, language: str) -> Invitation:
    if not user_can_manage_organization(user=by, organization=organization):
        raise PermissionDenied(_("Only the organization's owner or administrators may invite."))
    if role == SeatRole.OWNER:
        raise ValidationError(_("Hand over ownership from the team page instead."), code="role")
    email = email.strip().lower()
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        if Seat.objects.filter(organization=organization, user__email__iexact=email).exists():
            raise ValidationError(_("This person is already on your team."), code="already_member")
        if organization.invitations.filter(email__iexact=email, accepted_at=None, revoked_at=None).exists():
            raise ValidationError(
                _("An invitation to this address is pending; revoke it to send a new one."), code="pending"
            )
        _refuse_when_full(organization=organization)
        invitation = Invitation(organization=organization, email=email, role=role, invited_by=by, language=language)
        invitation.full_clean()
        invitation.save()
        transaction.on_commit(lambda: emails.send_invitation(invitation=invitation))
    return invitation


INVITATION_SALT = "membership.invitation"


def invitation_token(*, invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=INVITATION_SALT, compress=True)


class InvitationInvalid(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def invitation_from_token(*, token: str) -> Invitation:
    """The pending invitation a link stands for, or InvitationInvalid with a message
    saying why (forged, expired, already used, revoked)."""
    max_age = dt.timedelta(days=app_settings.INVITATION_MAX_AGE_DAYS)
    try:
        payload = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvitationInvalid(_("This invitation has expired. Ask your administrator to send a new one.")) from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid(_("This invitation link is not valid. Check that you copied all of it.")) from exc
    invitation = (
        Invitation.objects.select_related("organization").filter(pk=payload.get("i"), email=payload.get("e")).first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationInvalid(_("This invitation was withdrawn. Ask your administrator to send a new one."))
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has already been used. Log in to reach your organization."))
    return invitation


def invitation_accept(*, invitation: Invitation, user) -> Seat:
    """The invited person takes their seat (single use: the invitation is spent)."""
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=invitation.organization_id)
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_pending:
            raise ValidationError(_("This invitation has already been used."), code="used")
        if Seat.objects.filter(user=user).exists():
            raise ValidationError(
                _("Your account already belongs to an organization; one account joins one organization."),
                code="has_seat",
            )
        # The invitation's own pending seat is freed as it is accepted.
        if locked.organization.seats.count() >= seat_limit(organization=locked.organization):
            raise ValidationError(
                _("All seats of this organization's tier are taken. Ask your administrator."), code="seats_full"
            )
        seat = Seat(organization=locked.organization, user=user, role=locked.role)
        seat.full_clean()
        seat.save()
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    invitation.refresh_from_db()
    return seat


def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    if not user_can_manage_organization(user=by, organization=invitation.organization):
        raise PermissionDenied(_("Only the organization's owner or administrators may revoke invitations."))
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def seat_remove(*, seat: Seat, by) -> None:
    if not user_can_manage_organization(user=by, organization=seat.organization):
        raise PermissionDenied(_("Only the organization's owner or administrators may remove members."))
    if seat.role == SeatRole.OWNER:
        raise ValidationError(_("The owner cannot be removed; hand over ownership first."), code="owner")
    by_seat = Seat.objects.get(user=by)
    if seat.role == SeatRole.ADMIN and by_seat.role != SeatRole.OWNER:
        raise PermissionDenied(_("Only the owner may remove an administrator."))
    seat.delete()


def seat_set_role(*, seat: Seat, role: str, by) -> Seat:
    """The owner makes a member an administrator or back."""
    if not Seat.objects.filter(user=by, organization=seat.organization, role=SeatRole.OWNER).exists():
        raise PermissionDenied(_("Only the owner may change roles."))
    if role not in (SeatRole.ADMIN, SeatRole.MEMBER) or seat.role == SeatRole.OWNER:
        raise ValidationError(_("Hand over ownership instead."), code="role")
    seat.role = role
    seat.full_clean()
    seat.save(update_fields=["role"])
    return seat


def seat_transfer_ownership(*, organization: Organization, to_seat: Seat, by) -> Seat:
    """The owner hands ownership to another seat holder and becomes an administrator."""
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        owner = Seat.objects.filter(organization=organization, role=SeatRole.OWNER, user=by).first()
        if owner is None:
            raise PermissionDenied(_("Only the owner may hand over ownership."))
        if to_seat.organization_id != organization.pk or to_seat.pk == owner.pk:
            raise ValidationError(_("Choose another member of your organization."), code="seat")
        # Demote first: one owner per organization is a database constraint.
        owner.role = SeatRole.ADMIN
        owner.save(update_fields=["role"])
        to_seat.role = SeatRole.OWNER
        to_seat.save(update_fields=["role"])
    return to_seat


# ---------------------------------------------------------------------------
# The daily job: reminders, renewal due, grace, lapse
# ---------------------------------------------------------------------------


def _notice_once(*, membership: Membership, kind: str) -> bool:
    """Record the notice; False if it was already recorded for this term."""
    _notice, created = MembershipNotice.objects.get_or_create(
        membership=membership, kind=kind, term_end=membership.term_end
    )
    return created


def membership_daily(*, today: dt.date | None = None) -> dict[str, int]:
    """Idempotent daily run (cron or a django-tasks task). Returns what it did."""
    today = today or timezone.localdate()
    done = {"reminders": 0, "renewals_due": 0, "grace": 0, "lapsed": 0}
    reminder_days = sorted(app_settings.RENEWAL_REMINDER_DAYS, reverse=True)
    due_window = max(reminder_days) if reminder_days else 60
    for membership in Membership.objects.select_related("organization", "tier", "next_tier").filter(
        status=S.ACTIVE, term_end__isnull=False
    ):
        days_left = (membership.term_end - today).days
        if days_left < 0:
            with transaction.atomic():
                membership_start_grace(membership=membership, reason=SystemReason(REASON_TERM_ENDED_UNPAID))
            done["grace"] += 1
            continue
        with transaction.atomic():
            if days_left <= due_window and _notice_once(membership=membership, kind="renewal-due"):
                next_term = term_containing(membership.term_end + dt.timedelta(days=1))
                fee = (membership.next_tier or membership.tier).annual_fee
                get_adapter().on_renewal_due(membership=membership, next_term=next_term, fee=fee)
                announce(
                    signals.membership_renewal_due,
                    sender=Membership,
                    membership=membership,
                    next_term=next_term,
                    fee=fee,
                )
                done["renewals_due"] += 1
            # A late run sends only the nearest reminder and marks the earlier ones done.
            due = [d for d in reminder_days if days_left <= d]
            fresh = [d for d in due if _notice_once(membership=membership, kind=f"reminder-{d}")]
            if fresh and min(fresh) == min(due):
                m, days = membership, days_left
                transaction.on_commit(lambda m=m, days=days: emails.send_renewal_reminder(membership=m, days=days))
                done["reminders"] += 1
    cutoff = today - dt.timedelta(days=app_settings.GRACE_DAYS)
    for membership in Membership.objects.filter(status=S.GRACE, term_end__lt=cutoff):
        membership_lapse(membership=membership, reason=SystemReason(REASON_GRACE_ENDED_UNPAID))
        done["lapsed"] += 1
    return done


def invitation_accept_as_new_user(
    *, invitation: Invitation, password: str, last_name: str = "", first_name: str = ""
) -> Seat:
    """Create the invited person's account (its address is proven by the e-mailed link,
    so it is verified) and give it the seat, in one transaction."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(_("An account with this e-mail address exists; log in to accept."), code="exists")
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email, password=password, last_name=last_name, first_name=first_name
                )
        except IntegrityError as exc:
            # The same address signed up (or this link was used) at the same moment: the
            # database's one-account-per-address constraint decided, and this one lost.
            raise ValidationError(
                _("An account with this e-mail address exists; log in to accept."), code="exists"
            ) from exc
        EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
        return invitation_accept(invitation=invitation, user=user)


def user_set_name(*, user, last_name: str, first_name: str) -> None:
    user.last_name, user.first_name = last_name.strip(), first_name.strip()
    user.save(update_fields=["last_name", "first_name"])
