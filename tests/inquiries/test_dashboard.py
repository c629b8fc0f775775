"""The dashboard shows those who answer inquiries the new ones; nobody else."""

import pytest
from inquiries.models import InquiryStatus

from tests.dashboard import dashboard_panel, staff_with
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db


def test_new_inquiries_are_on_the_answerers_dashboard(client, seed_site):
    new = make_inquiry(seed_site["seed"], company="新着商事")
    make_inquiry(seed_site["seed"], company="回答済工業", status=InquiryStatus.ANSWERED)
    answerer = staff_with("inquiries.change_inquiry", "inquiries.view_inquiry", email="cm@kyoso.example.jp")
    panel = dashboard_panel(client, answerer, "kyoso-new-inquiries")
    assert panel is not None and "新着商事" in panel and "回答済工業" not in panel
    assert f"/admin/inquiries/inspect/{new.pk}/" in panel

    other = staff_with("membership.view_membership", email="etsuran@kyoso.example.jp")
    assert dashboard_panel(client, other, "kyoso-new-inquiries") is None
