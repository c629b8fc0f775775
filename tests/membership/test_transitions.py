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
    assert (m.term_start, m.term_end, m.fee) == (dt.date(2026, 10, 1), dt.date(2027, 3, 31), 48_000)
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


def test_transitions_are_announced_after_they_commit(applied, staff, django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, membership, by, reason, **kwargs):
        seen.append((membership.pk, Membership.objects.get(pk=membership.pk).status))

    signals.membership_approved.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            m = services.membership_start_screening(membership=applied, by=staff)
            record_clear_checks(m)
            services.membership_approve(membership=m, by=staff)
            assert seen == []  # nothing is announced before the commit
        assert callbacks
    finally:
        signals.membership_approved.disconnect(listener)
    assert seen == [(applied.pk, "approved")]


def test_a_failing_listener_neither_undoes_nor_blocks_the_transition(
    applied, staff, django_capture_on_commit_callbacks, caplog
):
    def broken(**kwargs):
        raise RuntimeError("listener failed")

    signals.membership_changed.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            m = services.membership_start_screening(membership=applied, by=staff)
    finally:
        signals.membership_changed.disconnect(broken)
    assert m.status == "screening"
    assert Membership.objects.get(pk=applied.pk).status == "screening"
    assert MembershipTransition.objects.filter(membership=applied).count() == 2
    assert any("listener failed" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_an_adapter_that_refuses_the_approval_leaves_nothing_approved(
    applied, staff, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.MEMBERSHIP_ADAPTER = "tests.membership.adapters.RefusingAdapter"
    m = services.membership_start_screening(membership=applied, by=staff)
    record_clear_checks(m)
    seen = []
    signals.membership_approved.connect(lambda **kwargs: seen.append(kwargs), weak=False, dispatch_uid="t-refuse")
    mailoutbox.clear()
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError, match="not today"):
            services.membership_approve(membership=m, by=staff)
    finally:
        signals.membership_approved.disconnect(dispatch_uid="t-refuse")
    m.refresh_from_db()
    assert m.status == "screening" and m.term_start is None
    assert not MembershipTransition.objects.filter(membership=m, to_status="approved").exists()
    assert seen == [] and mailoutbox == []  # nothing announced, no approval mail


def test_the_adapter_takes_part_in_the_approval_inside_its_transaction(applied, staff, settings):
    settings.MEMBERSHIP_ADAPTER = "tests.membership.adapters.RecordingAdapter"
    from tests.membership.adapters import RecordingAdapter

    RecordingAdapter.approved.clear()
    m = services.membership_start_screening(membership=applied, by=staff)
    record_clear_checks(m)
    services.membership_approve(membership=m, by=staff)
    assert RecordingAdapter.approved == [(m.pk, "approved", staff.pk)]
