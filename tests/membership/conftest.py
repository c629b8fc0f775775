import pytest

from membership import services
from membership.models import SeatRole
from tests.accounts.helpers import verify_email
from tests.membership.factories import CORPORATE_NUMBERS, OrganizationFactory, TierFactory, UserFactory


@pytest.fixture
def tier(db):
    return TierFactory(seats=3)


@pytest.fixture
def org_owner(db):
    user = UserFactory(email="owner@alpha.example.co.jp")
    verify_email(user)
    return user


@pytest.fixture
def org(org_owner):
    return services.organization_register(
        organization=OrganizationFactory.build(corporate_number=CORPORATE_NUMBERS[0]), owner=org_owner
    )


def add_seat(organization, email, role=SeatRole.MEMBER):
    from membership.models import Seat

    user = UserFactory(email=email)
    verify_email(user)
    Seat.objects.create(organization=organization, user=user, role=role)
    return user


@pytest.fixture
def org_admin(org):
    return add_seat(org, "admin@alpha.example.co.jp", SeatRole.ADMIN)


@pytest.fixture
def org_member(org):
    return add_seat(org, "member@alpha.example.co.jp", SeatRole.MEMBER)


@pytest.fixture
def other_org(db):
    owner = UserFactory(email="owner@beta.example.co.jp")
    verify_email(owner)
    return services.organization_register(
        organization=OrganizationFactory.build(corporate_number=CORPORATE_NUMBERS[1]), owner=owner
    )


@pytest.fixture
def without_billing(settings):
    """Membership on its own, as a plugin app without billing (its default adapter): nobody
    invoices an approval, so the approved state itself can be tested. (With billing's
    adapter the approval and the first invoice are one transaction; tests/billing covers that.)"""
    settings.MEMBERSHIP_ADAPTER = "membership.adapter.DefaultMembershipAdapter"
