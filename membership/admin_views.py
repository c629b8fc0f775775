"""Membership's staff screens in the Wagtail admin: tiers, the application queue with
the screening checklist (approve or reject, and the history), and organizations with their
seats and memberships. Every action's permission is checked again by the service.
Registered in wagtail_hooks.py."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic import EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from kyoso_core.admin import ReadOnlyViewSet, yen_column
from kyoso_core.exports import ExportIndexView

from . import services
from .adapter import get_adapter
from .forms import ORGANIZATION_FIELDS
from .models import (
    CheckKind,
    CheckResult,
    Membership,
    MembershipStatus,
    MembershipTerms,
    Organization,
    TermsAcceptance,
    Tier,
)


class CheckForm(forms.Form):
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=CheckResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (sent to the applicant when rejecting)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MembershipReviewView(InspectView):
    """Inspect view of a membership with the screening checklist and the decision."""

    template_name = "membership/admin/membership_review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = self.object
        user = self.request.user
        checks = {check.kind: check for check in membership.checks.select_related("by")}
        screening_open = membership.status in (MembershipStatus.APPLIED, MembershipStatus.SCREENING)
        rows = []
        for kind in CheckKind:
            required = kind == CheckKind.CONFLICT_OF_INTEREST or membership.organization.is_foreign
            may_record = screening_open and (
                user.has_perm(services.EXPORT_CONTROL_PERMISSION)
                if kind == CheckKind.EXPORT_CONTROL
                else user.has_perm(services.DECIDE_PERMISSION)
            )
            rows.append(
                {
                    "kind": kind,
                    "check": checks.get(kind),
                    "required": required,
                    "form": CheckForm(prefix=kind.value) if may_record else None,
                }
            )
        context.update(
            {
                "membership": membership,
                "organization": membership.organization,
                "check_rows": rows,
                "missing": [CheckKind(k).label for k in services.screening_missing_checks(membership=membership)],
                "can_decide": membership.status == MembershipStatus.SCREENING
                and user.has_perm(services.DECIDE_PERMISSION),
                "decision_form": kwargs.get("decision_form") or DecisionForm(),
                "transitions": membership.transitions.select_related("by"),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        membership = self.object
        action = request.POST.get("action", "")
        try:
            if action in {kind.value for kind in CheckKind}:
                form = CheckForm(request.POST, prefix=action)
                if not form.is_valid():
                    raise ValidationError(_("Choose a result for the check."))
                services.screening_record_check(
                    membership=membership,
                    kind=action,
                    result=form.cleaned_data["result"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, _("The check is recorded."))
            elif action in ("approve", "reject"):
                form = DecisionForm(request.POST)
                form.is_valid()
                reason = form.cleaned_data.get("reason", "")
                if action == "approve" and "confirm" not in request.POST and self._may_approve(membership):
                    return self._confirm_approval(request, membership=membership, reason=reason)
                if action == "approve":
                    services.screening_approve(membership=membership, by=request.user, reason=reason)
                    messages.success(request, _("The application is approved."))
                else:
                    services.screening_reject(membership=membership, by=request.user, reason=reason)
                    messages.success(request, _("The application is rejected; the applicant is told why."))
            else:
                raise ValidationError(_("Unknown action."))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do that."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(request.path)

    def _may_approve(self, membership) -> bool:
        """Whether an approval could go through now; otherwise the service's refusal is shown at once."""
        return (
            membership.status == MembershipStatus.SCREENING
            and self.request.user.has_perm(services.DECIDE_PERMISSION)
            and not services.screening_missing_checks(membership=membership)
        )

    def _confirm_approval(self, request, *, membership, reason: str):
        """Before approving: the tier, the term and prorated fee, and what else happens (the
        invoice billing will issue, with its tax and total); approved only by the confirm button."""
        term, fee = services.approval_preview(membership=membership)
        context = self.get_context_data()
        context["approval"] = {
            "term": term,
            "fee": fee,
            "reason": reason,
            "rows": get_adapter().approval_summary(membership=membership, term=term, fee=fee),
        }
        return self.render_to_response(context)


class OrganizationRecordView(InspectView):
    """An organization's record with its seats, memberships and their history."""

    template_name = "membership/admin/organization_record.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization: Organization = self.object
        memberships = organization.memberships.select_related("tier").prefetch_related("transitions__by")
        context.update(
            {
                "seats": organization.seats.select_related("user"),
                "memberships": memberships,
                "review_url_name": "membership_application:inspect",
            }
        )
        return context


def review_url(membership) -> str:
    return reverse("membership_application:inspect", args=[membership.pk])


class TierViewSet(ModelViewSet):
    model = Tier
    name = "membership_tier"
    icon = "tag"
    menu_label = gettext_lazy("Tiers")
    add_to_admin_menu = False
    list_display = ["name_ja", "name_en", yen_column(Tier, "annual_fee"), "seats", "consortium_eligible", "is_active"]
    list_export = [
        "name_ja",
        "name_en",
        "annual_fee",
        "seats",
        "members_only_seed_details",
        "consortium_eligible",
        "consortium_fee_discount_percent",
        "event_tickets",
        "is_active",
    ]
    form_fields = [
        "name_ja",
        "name_en",
        "annual_fee",
        "seats",
        "benefits_ja",
        "benefits_en",
        "members_only_seed_details",
        "consortium_eligible",
        "consortium_fee_discount_percent",
        "event_tickets",
        "sort_order",
        "is_active",
    ]
    copy_view_enabled = False


class MembershipFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=MembershipStatus.choices)
    tier = django_filters.ModelChoiceFilter(label=gettext_lazy("Tier"), queryset=Tier.objects.all())
    location = django_filters.ChoiceFilter(
        label=gettext_lazy("Domestic or foreign"),
        choices=[("domestic", gettext_lazy("Domestic")), ("foreign", gettext_lazy("Foreign"))],
        method="filter_location",
    )

    class Meta:
        model = Membership
        fields = ["status", "tier"]

    def filter_location(self, queryset, name, value):
        if value == "domestic":
            return queryset.filter(organization__country__iexact="JP")
        if value == "foreign":
            return queryset.exclude(organization__country__iexact="JP")
        return queryset


class ApplicationIndexView(ExportIndexView):
    def get_edit_url(self, instance):
        # The row opens the review screen: memberships change only through transitions.
        return self.get_inspect_url(instance)


class MembershipViewSet(ReadOnlyViewSet):
    """The application queue. No add/edit/delete: state changes are transitions."""

    model = Membership
    name = "membership_application"
    icon = "form"
    menu_label = gettext_lazy("Applications")
    add_to_admin_menu = False
    index_view_class = ApplicationIndexView
    inspect_view_class = MembershipReviewView
    filterset_class = MembershipFilterSet
    list_display = ["organization", "tier", "status", "applied_at", "term_start", yen_column(Membership, "fee")]
    list_export = [
        "organization",
        "organization.corporate_number",
        "organization.country",
        "tier",
        "status",
        "applied_at",
        "term_start",
        "term_end",
        "fee",
    ]
    export_headings = {
        "organization.corporate_number": gettext_lazy("Corporate number"),
        "organization.country": gettext_lazy("Country"),
    }
    export_filename = "membership-applications"
    form_fields = ["tier"]  # never served: the add and edit URLs are not registered

    def get_queryset(self, request):
        return Membership.objects.select_related("organization", "tier")

    def get_urlpatterns(self):
        # The review screen shows the transitions; Wagtail's history and usage screens
        # would show nothing of them, so they are left out.
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name in {"index", "index_results", "inspect"}
        ]


class OrganizationEditView(EditView):
    def save_instance(self):
        with transaction.atomic():
            instance = super().save_instance()
            services.organization_announce_update(
                organization=instance, changed=list(self.form.changed_data), by=self.request.user
            )
        return instance


class OrganizationViewSet(ModelViewSet):
    model = Organization
    name = "membership_organization"
    icon = "group"
    menu_label = gettext_lazy("Organizations")
    add_to_admin_menu = False
    index_view_class = ExportIndexView
    inspect_view_class = OrganizationRecordView
    edit_view_class = OrganizationEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["legal_name", "name_en", "corporate_number", "country", "industry", "created_at"]
    list_filter = ["country", "industry", "size_band"]
    search_fields = ["legal_name", "legal_name_kana", "name_en", "corporate_number"]
    list_export = [
        "legal_name",
        "legal_name_kana",
        "name_en",
        "corporate_number",
        "invoice_registration_number",
        "country",
        "address",
        "industry",
        "size_band",
        "billing_contact_name",
        "billing_contact_email",
        "created_at",
    ]
    export_filename = "member-organizations"
    form_fields = ORGANIZATION_FIELDS


class MembershipTermsViewSet(ModelViewSet):
    """Versions of the membership terms: the legal staff add a version; one that applicants
    accepted keeps its text (the model refuses the change) and is never deleted (the policy)."""

    model = MembershipTerms
    name = "membership_terms"
    icon = "doc-full"
    menu_label = gettext_lazy("Membership terms")
    add_to_admin_menu = False
    copy_view_enabled = True
    inspect_view_enabled = True
    list_display = ["version", "effective_on", "created_at"]
    form_fields = ["version", "effective_on", "body_ja", "body_en"]
    inspect_view_fields = ["version", "effective_on", "body_ja", "sha256_ja", "body_en", "sha256_en", "created_at"]


class TermsAcceptanceViewSet(ReadOnlyViewSet):
    model = TermsAcceptance
    name = "membership_terms_acceptance"
    icon = "tick"
    menu_label = gettext_lazy("Terms acceptances")
    add_to_admin_menu = False
    list_display = ["terms", "membership", "user", "language", "accepted_at"]
    list_filter = ["terms"]
    list_export = ["terms", "membership", "user", "language", "text_sha256", "accepted_at"]
    export_filename = "membership-terms-acceptances"

    def get_queryset(self, request):
        return TermsAcceptance.objects.select_related("terms", "membership__organization", "membership__tier", "user")


class MembershipGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Membership")
    menu_icon = "group"
    menu_order = 250
    items = (MembershipViewSet, OrganizationViewSet, TierViewSet, MembershipTermsViewSet, TermsAcceptanceViewSet)
