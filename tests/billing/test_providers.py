"""The payment-provider extension point: BILLING_PROVIDER names a provider by its dotted
path (or a short name of one billing ships); billing's services send the e-mails and run
the reconciliation whatever the provider."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from billing.models import PaymentMethod
from billing.providers import get_provider
from billing.providers.bank_transfer import BankTransferProvider
from billing.providers.stripe import StripeProvider
from billing.services.payments import payment_record
from tests.billing.conftest import approve, make_member
from tests.billing.providers import RecordingProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(settings):
    settings.BILLING_PROVIDER = "tests.billing.providers.RecordingProvider"
    RecordingProvider.calls.clear()
    RecordingProvider.held.clear()
    yield RecordingProvider
    RecordingProvider.calls.clear()
    RecordingProvider.held.clear()


def test_a_provider_named_by_its_dotted_path_is_handed_the_invoice_and_billing_mails_it(
    issuer, recording, mailoutbox, django_capture_on_commit_callbacks
):
    user, org = make_member()
    _membership, invoice = approve(org, user)
    assert ("invoice_issued", invoice.pk) in recording.calls
    # The invoice mail is billing's own, not the provider's.
    assert [m for m in mailoutbox if invoice.number in m.subject and "Payment" not in m.subject]
    with django_capture_on_commit_callbacks(execute=True):
        payment_record(invoice=invoice, amount=invoice.total, method=PaymentMethod.BANK_TRANSFER)
    assert ("invoice_paid_elsewhere", invoice.pk) in recording.calls


def test_billing_reconcile_hands_over_what_the_provider_lacks_and_syncs_every_open_invoice(issuer, recording):
    user, org = make_member()
    _membership, invoice = approve(org, user)
    recording.held.clear()  # as if handing it over had failed
    recording.calls.clear()
    out = io.StringIO()
    call_command("billing_reconcile", stdout=out)
    assert recording.calls == [("invoice_issued", invoice.pk), ("sync_invoice", invoice.pk)]
    assert f"{invoice.number}: checked at the recording provider" in out.getvalue()
    assert "1 open invoice(s) checked with recording" in out.getvalue()


@pytest.mark.parametrize(
    "name, expected",
    [
        ("billing.providers.stripe.StripeProvider", StripeProvider),
        ("stripe", StripeProvider),
        ("billing.providers.bank_transfer.BankTransferProvider", BankTransferProvider),
        ("bank_transfer", BankTransferProvider),
    ],
)
def test_the_shipped_providers_by_short_name_or_dotted_path(settings, name, expected):
    settings.BILLING_PROVIDER = name
    assert type(get_provider()) is expected


@pytest.mark.parametrize("name", ["strpie", "billing.providers.stripe.NoSuchProvider", "billing.models.Invoice"])
def test_an_unknown_provider_is_a_configuration_error_that_names_it(settings, name):
    settings.BILLING_PROVIDER = name
    with pytest.raises(ImproperlyConfigured, match="BILLING_PROVIDER"):
        get_provider()
