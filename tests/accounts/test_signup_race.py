"""Sign-ups with one e-mail address at the same moment (also differing only in case):
one account, and every sign-up gets allauth's answer instead of a 500."""

import threading

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, connection, connections
from django.test import Client
from django.utils import translation

from tests.membership.factories import UserFactory

PASSWORD = "Tsuyoi-Pass-2026"
ADDRESSES = ["taro@example.co.jp", "Taro@Example.co.jp", "TARO@example.co.jp", "taro@EXAMPLE.CO.JP"] * 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_with_one_address_make_one_account():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("in-memory SQLite shares one cache between threads: tried on the demo server's file database")
    call_command("createcachetable", verbosity=0)
    cache.clear()  # allauth's rate limits (the database cache) from earlier tests
    barrier = threading.Barrier(len(ADDRESSES))
    outcomes: list = []

    def sign_up(address: str) -> None:
        client = Client()
        try:
            barrier.wait()
            data = {"email": address, "password1": PASSWORD, "password2": PASSWORD}
            response = client.post("/ja/accounts/signup/", data)
            outcomes.append((response.status_code, response.get("Location")))
        except Exception as exc:  # the 500 a visitor would see
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(address,)) for address in ADDRESSES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each sign-up gets allauth's "verification sent" page, whether the address was free or not.
    assert outcomes == [(302, "/ja/accounts/confirm-email/")] * len(ADDRESSES)
    assert get_user_model().objects.filter(email__iexact="taro@example.co.jp").count() == 1
    assert EmailAddress.objects.filter(email__iexact="taro@example.co.jp").count() == 1
    # Mail only to that address (which mail comes first is allauth's rate limit's choice).
    assert mail.outbox and all(message.to == ["taro@example.co.jp"] for message in mail.outbox)


@pytest.mark.django_db
def test_the_database_refuses_a_second_account_differing_only_in_case():
    UserFactory(email="taro@example.co.jp")
    with pytest.raises(IntegrityError):
        UserFactory(email="Taro@Example.co.jp")


@pytest.mark.django_db
def test_an_admin_form_says_the_address_is_taken_in_another_case():
    from django.core.exceptions import ValidationError

    UserFactory(email="taro@example.co.jp")
    user = get_user_model()(email="TARO@example.co.jp")
    user.set_unusable_password()
    for language, message in [
        ("ja", "このメールアドレスのアカウントはすでにあります。"),
        ("en", "An account with this e-mail address already exists."),
    ]:
        with translation.override(language), pytest.raises(ValidationError) as error:
            user.validate_constraints()
        assert error.value.messages == [message]
