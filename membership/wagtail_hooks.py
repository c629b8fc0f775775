"""Registers membership's admin screens (membership.admin_views) and the permission policy
of the applications, which only membership's services create."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from kyoso_core.admin import ServiceRecordPermissionPolicy

from .admin_views import MembershipGroup
from .dashboard import ApplicationsPanel
from .models import Membership, MembershipTerms, TermsAcceptance


class KeptTermsPermissionPolicy(ServiceRecordPermissionPolicy):
    """Terms versions are added and corrected before anyone accepts them, never deleted."""

    refused_actions = frozenset({"delete"})


register_permission_policy(Membership, ServiceRecordPermissionPolicy(Membership), exact_class=True)
register_permission_policy(MembershipTerms, KeptTermsPermissionPolicy(MembershipTerms), exact_class=True)
register_permission_policy(TermsAcceptance, ServiceRecordPermissionPolicy(TermsAcceptance), exact_class=True)


@hooks.register("register_admin_viewset")
def register_membership_viewsets():
    return MembershipGroup()


@hooks.register("construct_homepage_panels")
def add_applications_panel(request, panels):
    ApplicationsPanel.add_to(panels, request)
