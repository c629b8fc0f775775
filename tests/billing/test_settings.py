"""Billing's settings: the Stripe keys under the BILLING_ prefix, the old names still read,
from Django's settings and from the environment; one public base URL for every link."""

import pytest

from billing.app_settings import app_settings
from billing.providers import get_provider
from tests.fresh_process import run_in_fresh_process


def test_the_prefixed_stripe_key_wins_and_the_old_name_is_still_read(settings):
    settings.BILLING_STRIPE_SECRET_KEY = ""
    settings.STRIPE_SECRET_KEY = "sk_test_old_name"
    assert app_settings.STRIPE_SECRET_KEY == "sk_test_old_name"
    assert get_provider().key == "stripe"
    settings.BILLING_STRIPE_SECRET_KEY = "sk_test_new_name"
    assert app_settings.STRIPE_SECRET_KEY == "sk_test_new_name"
    settings.BILLING_STRIPE_SECRET_KEY = settings.STRIPE_SECRET_KEY = ""
    assert get_provider().key == "bank_transfer"


PRINT = (
    "import django; django.setup()\n"
    "from django.conf import settings\n"
    "from billing.app_settings import app_settings\n"
    "from membership.app_settings import app_settings as membership\n"
    "print(app_settings.STRIPE_SECRET_KEY, app_settings.STRIPE_WEBHOOK_SECRET, app_settings.DUE_DAYS)\n"
    "print(settings.WAGTAILADMIN_BASE_URL, membership.SITE_URL, membership.GRACE_DAYS)\n"
)


@pytest.mark.parametrize("prefix", ["", "BILLING_"])
def test_the_environment_sets_the_keys_by_either_name_and_one_base_url(monkeypatch, prefix):
    monkeypatch.setenv(f"{prefix}STRIPE_SECRET_KEY", "sk_test_env")
    monkeypatch.setenv(f"{prefix}STRIPE_WEBHOOK_SECRET", "whsec_env")
    monkeypatch.setenv("SITE_BASE_URL", "https://oi.example.ac.jp/")
    monkeypatch.setenv("BILLING_DUE_DAYS", "45")
    keys, urls = run_in_fresh_process(
        PRINT,
        without_env=("BILLING_STRIPE_SECRET_KEY", "BILLING_STRIPE_WEBHOOK_SECRET") if not prefix else (),
    )
    assert keys == "sk_test_env whsec_env 45"
    assert urls == "https://oi.example.ac.jp https://oi.example.ac.jp 30"
