"""The staff screen for one application: the screening checklist, approve or reject,
and its history. Every action's permission is checked again by the service."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import InspectView

from . import services
from .models import CheckKind, CheckResult, MembershipStatus, Organization


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
