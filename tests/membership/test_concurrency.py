"""Two staff approving at once approve once: `_transition` locks the row.

Runs on PostgreSQL (real row locks, two connections); SQLite serialises writers anyway."""

import threading

import pytest
from django.db import connection, connections

from membership import services
from membership.models import Membership, MembershipTransition
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory, record_clear_checks


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_at_once_approve_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    staff = [UserFactory(email=f"cm{i}@kyoso.example.jp", is_staff=True) for i in range(2)]
    owner = UserFactory(email="o@example.co.jp")
    org = services.organization_register(organization=OrganizationFactory.build(), owner=owner)
    m = services.membership_apply(organization=org, tier=TierFactory(), by=owner)
    record_clear_checks(services.membership_start_screening(membership=m, by=staff[0]))

    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            stale = Membership.objects.get(pk=m.pk)  # both read "screening"
            barrier.wait(timeout=10)
            services.membership_approve(membership=stale, by=user)
            outcomes.append("approved")
        except services.TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    assert MembershipTransition.objects.filter(membership=m, to_status="approved").count() == 1
    # Billing invoices in the approval's transaction: one approval, one invoice.
    assert Membership.objects.get(pk=m.pk).status == "invoiced"
    from billing.models import Invoice

    assert Invoice.objects.filter(organization=org).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_invitation_link_posted_twice_at_once_makes_one_account_and_no_error():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent inserts are tested on PostgreSQL")
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from membership.models import Invitation, SeatRole

    owner = UserFactory(email="owner@gamma.example.co.jp")
    org = services.organization_register(organization=OrganizationFactory.build(), owner=owner)
    invitation = Invitation.objects.create(organization=org, email="new@gamma.example.co.jp", role=SeatRole.MEMBER)
    barrier = threading.Barrier(4)
    outcomes = []

    def accept():
        try:
            barrier.wait(timeout=10)
            services.invitation_accept_as_new_user(invitation=invitation, password="Aoba-Yama-2026")
            outcomes.append("joined")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["joined", "refused", "refused", "refused"]
    assert get_user_model().objects.filter(email__iexact="new@gamma.example.co.jp").count() == 1
