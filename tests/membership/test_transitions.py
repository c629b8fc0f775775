import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from membership import services, signals
from membership.models import Membership, MembershipTransition
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory, record_clear_checks

# The state machine on its own; billing's part of an approval is tested in tests/billing.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_billing")]


@pytest.fixture
def staff():
    return UserFactory(email="cm@kyoso.example.jp", is_staff=True)


@pytest.fixture
def applied():
    owner = UserFactory()
    org = services.organization_register(organization=OrganizationFactory.build(), owner=owner)
    return services.membership_apply(organization=org, tier=TierFactory(), by=owner)


def test_the_whole_path_records_who_when_and_why(applied, staff):
    m = services.membership_start_screening(membership=applied, by=staff)
    record_clear_checks(m)
    m = services.membership_approve(membership=m, by=staff, reason="checks done", today=dt.date(2026, 10, 1))
    assert (m.term_start, m.term_end, m.fee) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31), 48_000)
    m = services.membership_mark_invoiced(membership=m)
    m = services.membership_activate(membership=m, reason="invoice paid")
    assert m.status == "active"
    history = list(MembershipTransition.objects.filter(membership=m).values_list("from_status", "to_status"))
    assert history == [
        ("", "applied"),
        ("applied", "screening"),
        ("screening", "approved"),
        ("approved", "invoiced"),
        ("invoiced", "active"),
    ]
    approval = MembershipTransition.objects.get(membership=m, to_status="approved")
    assert approval.by == staff and approval.reason == "checks done"


@pytest.mark.parametrize(
    "step",
    [
        services.membership_approve,
        services.membership_mark_invoiced,
        services.membership_activate,
        services.membership_start_grace,
        services.membership_lapse,
    ],
)
def test_steps_from_the_wrong_state_are_refused_and_change_nothing(applied, staff, step):
    with pytest.raises(services.TransitionNotAllowed):
        step(membership=applied, by=staff)
    applied.refresh_from_db()
    assert applied.status == "applied"
    assert MembershipTransition.objects.filter(membership=applied).count() == 1


def test_approving_twice_is_refused(applied, staff):
    m = services.membership_start_screening(membership=applied, by=staff)
    record_clear_checks(m)
    services.membership_approve(membership=m, by=staff)
    stale = Membership.objects.get(pk=m.pk)
    stale.status = "screening"  # a second screen still showing the old state
    with pytest.raises(services.TransitionNotAllowed):
        services.membership_approve(membership=stale, by=staff)
    assert MembershipTransition.objects.filter(membership=m, to_status="approved").count() == 1


def test_reject_needs_a_reason(applied, staff):
    m = services.membership_start_screening(membership=applied, by=staff)
    with pytest.raises(ValidationError):
        services.membership_reject(membership=m, by=staff, reason="  ")
    assert Membership.objects.get(pk=m.pk).status == "screening"


def test_second_open_application_is_refused(applied):
    with pytest.raises(ValidationError):
        services.membership_apply(organization=applied.organization, tier=applied.tier, by=None)
    assert Membership.objects.filter(organization=applied.organization).count() == 1


def test_transitions_are_announced(applied, staff):
    seen = []

    def listener(sender, membership, by, reason, **kwargs):
        seen.append((membership.pk, membership.status))

    signals.membership_approved.connect(listener)
    try:
        m = services.membership_start_screening(membership=applied, by=staff)
        record_clear_checks(m)
        services.membership_approve(membership=m, by=staff)
    finally:
        signals.membership_approved.disconnect(listener)
    assert seen == [(applied.pk, "approved")]


def test_failed_listener_rolls_the_transition_back(applied, staff):
    def broken(**kwargs):
        raise RuntimeError("listener failed")

    signals.membership_changed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.membership_start_screening(membership=applied, by=staff)
    finally:
        signals.membership_changed.disconnect(broken)
    assert Membership.objects.get(pk=applied.pk).status == "applied"
    assert MembershipTransition.objects.filter(membership=applied).count() == 1
