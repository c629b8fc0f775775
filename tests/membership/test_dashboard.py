"""The dashboard shows those who decide applications the ones waiting; nobody else."""

import pytest

from membership import services
from tests.dashboard import dashboard_panel, staff_with
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_applications_waiting_are_on_the_deciders_dashboard(client):
    owner = UserFactory(email="applicant@example.co.jp")
    org = services.organization_register(
        organization=OrganizationFactory.build(legal_name="待機化学株式会社"), owner=owner
    )
    waiting = services.membership_apply(organization=org, tier=TierFactory(), by=owner, language="ja")
    decider = staff_with("membership.decide_membership", email="sokatsu@kyoso.example.jp")
    panel = dashboard_panel(client, decider, "kyoso-applications")
    assert panel is not None and "審査待ちの入会申込" in panel
    assert "待機化学株式会社" in panel and f"/admin/membership_application/inspect/{waiting.pk}/" in panel
    assert "1件" in panel

    reader = staff_with("membership.view_membership", email="etsuran@kyoso.example.jp")
    assert dashboard_panel(client, reader, "kyoso-applications") is None
