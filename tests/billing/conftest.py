"""Billing fixtures: the issuer, an approved (hence invoiced) member, and a faked Stripe."""

import pytest
from allauth.account.models import EmailAddress
from django.test import TestCase

from billing.models import Invoice, IssuerSettings
from membership import services as ms
from tests.billing.stripe_fake import WEBHOOK_SECRET, FakeStripe
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory, record_clear_checks

ISSUER = {
    "legal_name": "国立大学法人 共創大学",
    "legal_name_en": "Kyoso University",
    "registration_number": "T4500001234567",
    "address": "宮城県仙台市青葉区片平2-1-1",
    "address_en": "2-1-1 Katahira, Aoba-ku, Sendai",
    "bank_account": "共創銀行 片平支店 普通 1234567",
    "bank_account_en": "Kyoso Bank, Katahira Branch, ordinary 1234567",
    "department": "オープンイノベーション機構 財務担当",
    "department_en": "Open Innovation Organization, Finance Office",
    "footer": "ご不明な点は財務担当までお問い合わせください。",
    "footer_en": "Questions: the Finance Office.",
}


def make_issuer():
    from wagtail.models import Site

    from demo.home import ensure_home

    if not Site.objects.exists():
        ensure_home()
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    issuer = IssuerSettings.for_site(site)
    for field, value in ISSUER.items():
        setattr(issuer, field, value)
    issuer.save()
    return issuer


@pytest.fixture
def issuer(db):
    return make_issuer()


PASSWORD = "correct-horse-battery"


def make_member():
    user = UserFactory(password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    org = ms.organization_register(
        organization=OrganizationFactory.build(invoice_registration_number="T7000012050002"), owner=user
    )
    return user, org


def approve(org, user, *, annual_fee: int = 96_000):
    membership = ms.membership_apply(organization=org, tier=TierFactory(annual_fee=annual_fee), by=user)
    ms.membership_start_screening(membership=membership, by=None)
    record_clear_checks(membership)
    # Billing issues the invoice in the approval's transaction; e-mail and Stripe follow the commit.
    with TestCase.captureOnCommitCallbacks(execute=True):
        ms.membership_approve(membership=membership, by=None)
    membership.refresh_from_db()
    return membership, Invoice.objects.get(object_id=membership.pk)


@pytest.fixture
def member(issuer):
    """(owner user, organization, membership (invoiced), open invoice)."""
    user, org = make_member()
    membership, invoice = approve(org, user)
    return user, org, membership, invoice


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe()
    settings.BILLING_STRIPE_SECRET_KEY = "sk_test_kyoso_fake"
    settings.BILLING_STRIPE_PUBLISHABLE_KEY = "pk_test_kyoso_fake"
    settings.BILLING_STRIPE_HTTP_CLIENT = fake
    settings.BILLING_STRIPE_MAX_RETRIES = 0
    return fake


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.BILLING_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
