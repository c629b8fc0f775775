"""Approval and the first invoice are one transaction: a membership is never approved
without its invoice, and an invoice that cannot be issued leaves nothing approved."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import translation

from billing.models import Invoice, InvoiceCounter, InvoiceTransition, TaxRate
from membership import services as ms
from membership.models import MembershipTransition
from tests.accounts.helpers import give_mfa
from tests.billing.conftest import make_member
from tests.membership.factories import TierFactory, UserFactory, record_clear_checks

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(issuer):
    user, org = make_member()
    membership = ms.membership_apply(organization=org, tier=TierFactory(annual_fee=96_000), by=user)
    return record_clear_checks(ms.membership_start_screening(membership=membership, by=None))


def assert_nothing_written(membership):
    membership.refresh_from_db()
    assert membership.status == "screening" and membership.fee is None
    assert not MembershipTransition.objects.filter(membership=membership, to_status__in=["approved", "invoiced"])
    assert not Invoice.objects.exists() and not InvoiceTransition.objects.exists()
    assert not InvoiceCounter.objects.filter(last_number__gt=0).exists()  # no number used up


def test_approval_issues_the_invoice_before_it_commits(screened, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        approved = ms.membership_approve(membership=screened, by=None)
        # Still inside the approval's transaction: the invoice is already there.
        assert approved.status == "invoiced"
        invoice = Invoice.objects.get(object_id=screened.pk)
        assert invoice.status == "open" and invoice.number and invoice.subtotal == approved.fee
    assert callbacks  # the e-mail (and Stripe) wait for the commit
    history = list(MembershipTransition.objects.filter(membership=screened).values_list("to_status", flat=True))
    assert history[-2:] == ["approved", "invoiced"]


def test_an_invoice_that_cannot_be_issued_rolls_the_approval_back(screened):
    TaxRate.objects.update(is_active=False)  # nothing to compute the tax with
    with translation.override("ja"), pytest.raises(ValidationError) as exc:
        ms.membership_approve(membership=screened, by=None)
    message = " ".join(exc.value.messages)
    assert exc.value.code == "invoice_failed"
    assert "承認されていません" in message and "税率" in message
    assert_nothing_written(screened)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        ms.membership_approve(membership=screened, by=None)
    assert "was not approved" in " ".join(exc.value.messages)
    assert_nothing_written(screened)

    TaxRate.objects.update(is_active=True)  # put right, the same approval goes through
    ms.membership_approve(membership=screened, by=None)
    assert screened.status == "invoiced" and Invoice.objects.get().number.endswith("-000001")


def test_staff_see_why_in_the_admin_and_nothing_is_half_written(client, screened):
    staff = UserFactory(email="sokatsu@kyoso.example.jp", is_staff=True)
    staff.groups.add(Group.objects.get(name="統括CM"))
    give_mfa(staff)
    client.force_login(staff)
    TaxRate.objects.update(is_active=False)
    response = client.post(
        f"/admin/membership_application/inspect/{screened.pk}/",
        {"action": "approve", "reason": "確認済み", "confirm": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "承認されていません" in page and "既定の税率" in page
    assert_nothing_written(screened)
