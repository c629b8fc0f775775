"""The applicant hears that the application arrived and how it was decided; the screeners hear of each new one."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from membership import services
from tests.membership.factories import UserFactory, record_clear_checks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_billing")]


@pytest.fixture
def screeners():
    sokatsu = UserFactory(email="sokatsu@kyoso.example.jp", is_staff=True)
    sokatsu.groups.add(Group.objects.get(name="統括CM"))
    finance = UserFactory(email="zaimu@kyoso.example.jp", is_staff=True)
    finance.groups.add(Group.objects.get(name="財務CM"))  # may not decide: not told
    return sokatsu


def apply(org, owner, tier, capture, language="ja"):
    with capture(execute=True):
        return services.membership_apply(organization=org, tier=tier, by=owner, language=language)


def test_an_application_is_confirmed_to_the_applicant_and_announced_to_those_who_screen(
    org, org_owner, tier, screeners, django_capture_on_commit_callbacks
):
    org_owner.last_name, org_owner.first_name = "山田", "太郎"
    org_owner.save()
    membership = apply(org, org_owner, tier, django_capture_on_commit_callbacks)
    to_applicant = [m for m in mail.outbox if m.to == [org_owner.email]]
    assert len(to_applicant) == 1
    assert to_applicant[0].subject == "入会申込みを受け付けました"
    assert to_applicant[0].body.startswith("山田 太郎 様\n")
    assert "/ja/members/" in to_applicant[0].body
    to_staff = [m for m in mail.outbox if m.to != [org_owner.email]]
    assert [m.to for m in to_staff] == [["sokatsu@kyoso.example.jp"]]
    assert to_staff[0].subject.startswith(f"新規入会申込み: {org.legal_name}")
    assert f"/admin/membership_application/inspect/{membership.pk}/" in to_staff[0].body


def test_an_english_applicant_hears_in_english_and_the_approval_is_mailed(
    org, org_owner, tier, django_capture_on_commit_callbacks
):
    membership = apply(org, org_owner, tier, django_capture_on_commit_callbacks, language="en")
    assert mail.outbox[0].subject == "We have received your membership application"
    assert mail.outbox[0].body.startswith(f"Dear {org_owner.email},\n")
    services.membership_start_screening(membership=membership, by=None)
    record_clear_checks(membership)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_approve(membership=membership, by=None)
    assert [m.subject for m in mail.outbox] == ["Your membership application is approved"]
    assert "FY20" in mail.outbox[0].body


def test_a_refused_application_sends_no_mail(org, org_owner, tier, django_capture_on_commit_callbacks):
    apply(org, org_owner, tier, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with pytest.raises(Exception), django_capture_on_commit_callbacks(execute=True):  # noqa: B017
        services.membership_apply(organization=org, tier=tier, by=org_owner)
    assert mail.outbox == []
