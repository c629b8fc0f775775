"""The screening checklist is part of the approval transition itself: no caller (the staff
screen, the demo, billing, a script) can approve without it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from membership import services
from membership.models import CheckKind, CheckResult, Membership, MembershipTransition, ScreeningCheck
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory

pytestmark = pytest.mark.django_db


def screening(*, country="JP"):
    owner = UserFactory()
    org = services.organization_register(organization=OrganizationFactory.build(country=country), owner=owner)
    m = services.membership_apply(organization=org, tier=TierFactory(), by=owner)
    return services.membership_start_screening(membership=m, by=None)


def assert_nothing_written(m):
    m.refresh_from_db()
    assert m.status == "screening" and m.fee is None and m.term_start is None
    assert not MembershipTransition.objects.filter(membership=m, to_status="approved").exists()
    assert not m.organization.invoices.exists()


def check(m, kind, result=CheckResult.CLEAR):
    ScreeningCheck.objects.create(membership=m, kind=kind, result=result, note="")


def test_approving_without_any_check_is_refused_with_a_clear_message():
    m = screening()
    with translation.override("ja"), pytest.raises(ValidationError) as exc:
        services.membership_approve(membership=m, by=None)
    assert exc.value.code == "checks_missing"
    assert "利益相反" in " ".join(exc.value.messages) and "確認" in " ".join(exc.value.messages)
    assert_nothing_written(m)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.membership_approve(membership=m, by=None)
    assert "Conflict of interest" in " ".join(exc.value.messages)


def test_a_concern_is_not_a_clear_check():
    m = screening()
    check(m, CheckKind.CONFLICT_OF_INTEREST, CheckResult.CONCERN)
    with pytest.raises(ValidationError):
        services.membership_approve(membership=m, by=None)
    assert_nothing_written(m)


def test_a_foreign_organization_also_needs_the_export_control_check():
    m = screening(country="DE")
    check(m, CheckKind.CONFLICT_OF_INTEREST)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.membership_approve(membership=m, by=None)
    message = " ".join(exc.value.messages)
    assert "Export control" in message and "Conflict of interest" not in message
    assert_nothing_written(m)
    check(m, CheckKind.EXPORT_CONTROL)
    services.membership_approve(membership=m, by=None)
    assert Membership.objects.get(pk=m.pk).status in ("approved", "invoiced")


def test_a_domestic_organization_needs_only_the_conflict_of_interest_check():
    m = screening()
    check(m, CheckKind.CONFLICT_OF_INTEREST)
    services.membership_approve(membership=m, by=None)
    assert MembershipTransition.objects.filter(membership=m, to_status="approved").count() == 1


def test_the_wrong_state_still_gets_the_state_message_not_the_checklist():
    owner = UserFactory()
    org = services.organization_register(organization=OrganizationFactory.build(), owner=owner)
    m = services.membership_apply(organization=org, tier=TierFactory(), by=owner)
    with pytest.raises(services.TransitionNotAllowed):
        services.membership_approve(membership=m, by=None)
