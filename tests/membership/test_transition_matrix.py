"""Every transition from every state: allowed ones succeed with a history row,
refused ones raise and change nothing."""

import datetime as dt

import pytest

from membership import services
from membership.fiscal import term_of
from membership.models import Membership, MembershipStatus, MembershipTransition
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory, record_clear_checks

# Membership's own state machine, as a plugin app without billing (which would move an
# approval straight on to invoiced; tests/billing covers that).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_billing")]

STEPS = {
    "screening": lambda m, by: services.membership_start_screening(membership=m, by=by),
    "approved": lambda m, by: services.membership_approve(membership=m, by=by, today=dt.date(2026, 7, 1)),
    "rejected": lambda m, by: services.membership_reject(membership=m, by=by, reason="理由"),
    "invoiced": lambda m, by: services.membership_mark_invoiced(membership=m, by=by),
    "active": lambda m, by: services.membership_activate(membership=m, by=by),
    "renewed": lambda m, by: services.membership_renew(membership=m, by=by, term=term_of(2027)),
    "grace": lambda m, by: services.membership_start_grace(membership=m, by=by),
    "lapsed": lambda m, by: services.membership_lapse(membership=m, by=by),
    "cancelled": lambda m, by: services.membership_cancel(membership=m, by=by),
}
TARGET = {"renewed": "active"}
ALL = [s.value for s in MembershipStatus]


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("start", ALL)
def test_transition(step, start):
    staff = UserFactory(email="cm@kyoso.example.jp", is_staff=True)
    owner = UserFactory(email="o@example.co.jp")
    org = services.organization_register(organization=OrganizationFactory.build(), owner=owner)
    m = services.membership_apply(organization=org, tier=TierFactory(), by=owner)
    Membership.objects.filter(pk=m.pk).update(
        status=start, term_start=dt.date(2026, 4, 1), term_end=dt.date(2027, 3, 31), fee=96_000
    )
    m.refresh_from_db()
    record_clear_checks(m)  # the checklist is complete; its absence is tested in test_screening
    to = TARGET.get(step, step)
    before = MembershipTransition.objects.count()
    if start in services.ALLOWED_FROM[to]:
        STEPS[step](m, staff)
        m.refresh_from_db()
        assert m.status == to
        last = MembershipTransition.objects.latest("pk")
        assert (last.from_status, last.to_status, last.by) == (start, to, staff)
    else:
        with pytest.raises(services.TransitionNotAllowed):
            STEPS[step](m, staff)
        m.refresh_from_db()
        assert m.status == start
        assert MembershipTransition.objects.count() == before
