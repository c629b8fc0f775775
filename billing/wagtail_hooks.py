"""Registers billing's admin screens (billing.admin_views) and the permission policy of
the records that only billing's services write."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from kyoso_core.admin import ServiceRecordPermissionPolicy

from .admin_views import BillingGroup
from .dashboard import OverdueInvoicesPanel
from .models import CreditEntry, CreditNote, Invoice, Payment, WebhookEvent

for model in (Invoice, Payment, CreditNote, CreditEntry, WebhookEvent):
    register_permission_policy(model, ServiceRecordPermissionPolicy(model), exact_class=True)


@hooks.register("register_admin_viewset")
def register_billing_viewsets():
    return BillingGroup()


@hooks.register("construct_homepage_panels")
def add_overdue_invoices_panel(request, panels):
    OverdueInvoicesPanel.add_to(panels, request)
