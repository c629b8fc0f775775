"""The daily job: reminders 60/30/7 days before the term ends (each once), renewal due
once per term, grace after the term, lapse after the grace days; entitlements follow."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from membership import selectors, services, signals
from membership.fiscal import term_of
from membership.models import Seat
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory, record_clear_checks

pytestmark = pytest.mark.django_db

TERM_END = dt.date(2027, 3, 31)


@pytest.fixture
def active():
    owner = UserFactory(email="owner@gamma.example.co.jp")
    org = services.organization_register(organization=OrganizationFactory.build(), owner=owner)
    m = services.membership_apply(organization=org, tier=TierFactory(), by=owner, language="ja")
    m = services.membership_start_screening(membership=m, by=None)
    record_clear_checks(m)
    # Billing issues the first invoice in the approval's transaction: the membership is invoiced.
    m = services.membership_approve(membership=m, by=None, today=dt.date(2026, 6, 1))
    assert m.status == "invoiced"
    return services.membership_activate(membership=m)


def reminders():
    return [m for m in mail.outbox if "会員期間の終了まで" in m.subject]


def run(day, capture):
    with capture(execute=True):
        return services.membership_daily(today=day)


def test_reminders_go_out_60_30_and_7_days_before_each_once(active, django_capture_on_commit_callbacks):
    sent_on = []
    day = dt.date(2027, 1, 1)
    while day <= TERM_END:
        before = len(reminders())
        run(day, django_capture_on_commit_callbacks)
        run(day, django_capture_on_commit_callbacks)  # a second run the same day sends nothing
        if len(reminders()) > before:
            assert len(reminders()) == before + 1
            sent_on.append((TERM_END - day).days)
        day += dt.timedelta(days=1)
    assert sent_on == [60, 30, 7]
    last = reminders()[-1]
    assert "会員期間の終了まであと7日" in last.subject
    assert "2027年度" in last.body
    assert set(last.to) == {"owner@gamma.example.co.jp", "billing@example.co.jp"}
    # Billing answered the renewal announcement with exactly one renewal invoice e-mail.
    assert len(mail.outbox) - len(reminders()) == 1


def test_a_late_run_sends_only_the_nearest_reminder(active, django_capture_on_commit_callbacks):
    run(dt.date(2027, 3, 28), django_capture_on_commit_callbacks)
    run(dt.date(2027, 3, 29), django_capture_on_commit_callbacks)
    assert len(reminders()) == 1 and "あと3日" in reminders()[0].subject


def test_renewal_due_is_announced_once_per_term(active, django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, membership, next_term, fee, **kwargs):
        seen.append((membership.pk, next_term.fiscal_year, fee))

    signals.membership_renewal_due.connect(listener)
    try:
        for day in (dt.date(2027, 1, 15), dt.date(2027, 1, 30), dt.date(2027, 2, 1), dt.date(2027, 3, 30)):
            run(day, django_capture_on_commit_callbacks)
    finally:
        signals.membership_renewal_due.disconnect(listener)
    assert seen == [(active.pk, 2027, 96_000)]


def test_unpaid_goes_to_grace_then_lapses_and_access_ends(active, django_capture_on_commit_callbacks, settings):
    settings.MEMBERSHIP_GRACE_DAYS = 30
    member = Seat.objects.get(organization=active.organization).user
    assert selectors.user_has_entitlement(user=member, entitlement=selectors.SEED_DETAILS)
    run(dt.date(2027, 4, 1), django_capture_on_commit_callbacks)
    active.refresh_from_db()
    assert active.status == "grace"
    assert selectors.user_has_entitlement(user=member, entitlement=selectors.SEED_DETAILS)
    run(dt.date(2027, 4, 30), django_capture_on_commit_callbacks)
    active.refresh_from_db()
    assert active.status == "grace"
    run(dt.date(2027, 5, 1), django_capture_on_commit_callbacks)
    active.refresh_from_db()
    assert active.status == "lapsed"
    assert not selectors.user_has_entitlement(user=member, entitlement=selectors.SEED_DETAILS)
    assert list(active.transitions.values_list("to_status", flat=True))[-2:] == ["grace", "lapsed"]


def test_paid_renewal_keeps_it_active_with_the_new_term_and_tier(active, django_capture_on_commit_callbacks):
    bigger = TierFactory(name_ja="特別会員", name_en="Special member", annual_fee=300_000, seats=10)
    services.membership_change_tier(membership=active, tier=bigger, by=None)
    run(dt.date(2027, 2, 1), django_capture_on_commit_callbacks)
    services.membership_renew(membership=active, term=term_of(2027), tier=active.next_tier)
    active.refresh_from_db()
    assert (active.status, active.term_end, active.tier, active.fee) == (
        "active",
        dt.date(2028, 3, 31),
        bigger,
        300_000,
    )
    run(dt.date(2027, 4, 2), django_capture_on_commit_callbacks)
    active.refresh_from_db()
    assert active.status == "active"


def test_the_command_runs_from_cron(active, capsys):
    call_command("membership_daily", "--today", "2027-04-01")
    active.refresh_from_db()
    assert active.status == "grace"
    call_command("membership_daily", "--today", "2027-04-01")
    assert "grace: 0" in capsys.readouterr().out


def test_the_task_runs_the_same_work(active, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from membership.models import Membership
    from membership.tasks import membership_daily_task

    Membership.objects.filter(pk=active.pk).update(term_end=timezone.localdate() + dt.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        result = membership_daily_task.enqueue()
    assert result.return_value == {"reminders": 1, "renewals_due": 1, "grace": 0, "lapsed": 0}
    assert "あと7日" in mail.outbox[-1].subject


def test_cancellation_from_any_open_state_is_recorded(active):
    services.membership_cancel(membership=active, by=None, reason="経営判断")
    active.refresh_from_db()
    assert active.status == "cancelled" and active.transitions.last().reason == "経営判断"
    with pytest.raises(services.TransitionNotAllowed):
        services.membership_cancel(membership=active, by=None)
