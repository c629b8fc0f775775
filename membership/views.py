"""The member area: thin views over membership.services and membership.selectors.

Every object is looked up inside the signed-in user's own organization, so an id
from another organization is a 404, never its data."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .fiscal import term_containing
from .forms import (
    ApplicationForm,
    CancelForm,
    InvitationForm,
    InvitationSignupForm,
    NameForm,
    OrganizationForm,
    TierForm,
)
from .models import Invitation, MembershipStatus, Seat, SeatRole, Tier


def _language() -> str:
    return (get_language() or "ja")[:2]


def _seat_or_none(request):
    return selectors.seat_for_user(user=request.user)


def _require_seat(view):
    """The view needs the user's seat; without an organization they go to the dashboard."""

    @login_required
    def wrapper(request, *args, **kwargs):
        seat = _seat_or_none(request)
        if seat is None:
            messages.info(request, _("Register your organization, or ask its administrator to invite you."))
            return redirect("membership:dashboard")
        return view(request, seat, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


NEXT_STEPS = {
    MembershipStatus.APPLIED: gettext_lazy("Your application is waiting for screening."),
    MembershipStatus.SCREENING: gettext_lazy("Our staff are screening your application."),
    MembershipStatus.APPROVED: gettext_lazy("Approved. The invoice for your first term is coming by e-mail."),
    MembershipStatus.INVOICED: gettext_lazy("Pay the invoice to activate your membership."),
    MembershipStatus.ACTIVE: gettext_lazy("Your membership is active. Invite your colleagues to use it."),
    MembershipStatus.GRACE: gettext_lazy("Your term has ended. Pay the renewal invoice to keep your access."),
}


@login_required
def dashboard(request):
    seat = _seat_or_none(request)
    if seat is None:
        return render(request, "membership/dashboard.html", {"seat": None})
    organization = seat.organization
    membership = selectors.current_membership(organization=organization)
    last_closed = None
    if membership is None:
        last_closed = organization.memberships.select_related("tier").first()
    term_label = None
    if membership and membership.term_start:
        term_label = term_containing(membership.term_start).label(_language())
    return render(
        request,
        "membership/dashboard.html",
        {
            "seat": seat,
            "organization": organization,
            "membership": membership,
            "last_closed": last_closed,
            "term_label": term_label,
            "next_step": NEXT_STEPS[membership.status] if membership else None,
            "can_manage": seat.role in (SeatRole.OWNER, SeatRole.ADMIN),
        },
    )


@login_required
def organization_register(request):
    if _seat_or_none(request) is not None:
        messages.info(request, _("Your account already belongs to an organization."))
        return redirect("membership:dashboard")
    form = OrganizationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.organization_register(organization=form.save(commit=False), owner=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your organization is registered. Next, apply for a membership tier."))
                return redirect("membership:apply")
        elif form.duplicate_corporate_number:
            services.organization_request_to_join(
                corporate_number=form.duplicate_corporate_number, requester=request.user, language=_language()
            )
    return render(request, "membership/organization_form.html", {"form": form, "registering": True})


@_require_seat
def organization_profile(request, seat):
    organization = seat.organization
    can_manage = seat.role in (SeatRole.OWNER, SeatRole.ADMIN)
    form = OrganizationForm(request.POST or None, instance=organization) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            services.organization_update(organization=organization, by=request.user, **fields)
            messages.success(request, _("The organization profile is saved."))
            return redirect("membership:organization")
    return render(
        request,
        "membership/organization.html",
        {"organization": organization, "form": form, "can_manage": can_manage},
    )


@login_required
def profile(request):
    """The signed-in person's own name, which colleagues see on the team page and mails address."""
    user = request.user
    form = NameForm(request.POST or None, initial={"last_name": user.last_name, "first_name": user.first_name})
    if request.method == "POST" and form.is_valid():
        services.user_set_name(user=user, **form.cleaned_data)
        messages.success(request, _("Your name is saved."))
        return redirect("membership:profile")
    return render(request, "membership/profile.html", {"form": form}, status=400 if form.errors else 200)


def _render_team(request, seat, invite_form=None, status=200):
    organization = seat.organization
    return render(
        request,
        "membership/team.html",
        {
            "seat": seat,
            "organization": organization,
            "seats": organization.seats.select_related("user"),
            "invitations": organization.invitations.filter(accepted_at=None, revoked_at=None),
            "invite_form": invite_form or InvitationForm(),
            "can_manage": seat.role in (SeatRole.OWNER, SeatRole.ADMIN),
            "is_owner": seat.role == SeatRole.OWNER,
            "seat_limit": services.seat_limit(organization=organization),
            "seats_used": services.seats_used(organization=organization),
        },
        status=status,
    )


@_require_seat
def team(request, seat):
    return _render_team(request, seat)


@require_POST
@_require_seat
def invitation_create(request, seat):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                organization=seat.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                language=_language(),
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("membership:team")
    return _render_team(request, seat, invite_form=form, status=400)


@require_POST
@_require_seat
def invitation_revoke(request, seat, pk):
    invitation = get_object_or_404(Invitation, pk=pk, organization=seat.organization)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("membership:team")


@require_POST
@_require_seat
def seat_remove(request, seat, pk):
    target = get_object_or_404(Seat.objects.select_related("user"), pk=pk, organization=seat.organization)
    try:
        services.seat_remove(seat=target, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(email)s is removed from your team.") % {"email": target.user.email})
    return redirect("membership:team")


@require_POST
@_require_seat
def seat_role(request, seat, pk):
    target = get_object_or_404(Seat, pk=pk, organization=seat.organization)
    try:
        services.seat_set_role(seat=target, role=request.POST.get("role", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The role is changed."))
    return redirect("membership:team")


@require_POST
@_require_seat
def seat_make_owner(request, seat, pk):
    target = get_object_or_404(Seat.objects.select_related("user"), pk=pk, organization=seat.organization)
    try:
        services.seat_transfer_ownership(organization=seat.organization, to_seat=target, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(email)s is now the owner.") % {"email": target.user.email})
    return redirect("membership:team")


@_require_seat
def apply(request, seat):
    organization = seat.organization
    membership = selectors.current_membership(organization=organization)
    can_manage = seat.role in (SeatRole.OWNER, SeatRole.ADMIN)
    initial = {"tier": (membership.next_tier or membership.tier) if membership else None}
    terms = None if membership else selectors.terms_in_force()
    if membership:
        form = TierForm(request.POST or None, initial=initial)
    else:
        form = ApplicationForm(request.POST or None, initial=initial, terms_in_force=terms)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            tier = form.cleaned_data["tier"]
            try:
                if membership is None:
                    services.membership_apply(
                        organization=organization,
                        tier=tier,
                        by=request.user,
                        language=_language(),
                        terms=form.cleaned_data.get("terms"),
                    )
                    messages.success(request, _("Thank you. Your application is received."))
                else:
                    services.membership_change_tier(membership=membership, tier=tier, by=request.user)
                    messages.success(request, _("The tier change is recorded."))
            except ValidationError as exc:
                if exc.code in ("terms_changed", "terms_required") and terms is not None:
                    # Show the version now in force, unaccepted, with the tier still chosen.
                    messages.error(request, _error_text(exc))
                    form = ApplicationForm(initial={"tier": tier}, terms_in_force=terms)
                else:
                    form.add_error("tier", exc)
            else:
                return redirect("membership:dashboard")
    return render(
        request,
        "membership/apply.html",
        {
            "organization": organization,
            "membership": membership,
            "form": form,
            "tiers": Tier.objects.filter(is_active=True),
            "terms": terms,
            "can_manage": can_manage,
            "cancel_form": CancelForm() if membership and seat.role == SeatRole.OWNER else None,
        },
    )


@require_POST
@_require_seat
def cancel(request, seat):
    if seat.role != SeatRole.OWNER:
        raise PermissionDenied
    membership = selectors.current_membership(organization=seat.organization)
    form = CancelForm(request.POST)
    if membership is None or not form.is_valid():
        return redirect("membership:dashboard")
    try:
        services.membership_cancel(membership=membership, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Your membership is cancelled."))
    return redirect("membership:dashboard")


def invitation_accept(request, token):
    try:
        invitation = services.invitation_from_token(token=token)
    except services.InvitationInvalid as exc:
        return render(request, "membership/invitation_invalid.html", {"message": exc.message}, status=400)
    context = {"invitation": invitation, "organization": invitation.organization}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["wrong_account"] = True
            return render(request, "membership/invitation_accept.html", context, status=403)
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
                return render(request, "membership/invitation_accept.html", context, status=409)
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organization.display_name})
            return redirect("membership:dashboard")
        return render(request, "membership/invitation_accept.html", context)
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        context["needs_login"] = True
        return render(request, "membership/invitation_accept.html", context)
    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                seat = services.invitation_accept_as_new_user(
                    invitation=invitation,
                    password=form.cleaned_data["password1"],
                    last_name=form.cleaned_data["last_name"],
                    first_name=form.cleaned_data["first_name"],
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, seat.user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organization.display_name})
            return redirect("membership:dashboard")
    context["form"] = form
    return render(request, "membership/invitation_accept.html", context)
