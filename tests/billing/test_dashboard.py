"""The dashboard shows those who record transfers the invoices past due; nobody else."""

import datetime

import pytest

from billing.models import Invoice
from tests.dashboard import dashboard_panel, staff_with

pytestmark = pytest.mark.django_db


def test_overdue_invoices_are_on_the_finance_dashboard(client, member):
    _user, _org, _membership, invoice = member
    finance = staff_with("billing.add_payment", "billing.view_invoice", email="zaimu@kyoso.example.jp")
    panel = dashboard_panel(client, finance, "kyoso-overdue-invoices")
    assert panel is not None and invoice.number not in panel  # not due yet

    Invoice.objects.filter(pk=invoice.pk).update(due_date=datetime.date(2020, 1, 31))
    panel = dashboard_panel(client, finance, "kyoso-overdue-invoices")
    assert invoice.number in panel and f"/admin/billing/invoices/inspect/{invoice.pk}/" in panel
    assert f"¥{invoice.total:,}" in panel

    reader = staff_with("billing.view_invoice", email="etsuran@kyoso.example.jp")
    assert dashboard_panel(client, reader, "kyoso-overdue-invoices") is None
