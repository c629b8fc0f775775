"""Registering an organization through the member area: validation and duplicates."""

import pytest
from django.core import mail

from membership.models import Organization, Seat
from tests.accounts.helpers import verify_email
from tests.membership.factories import CORPORATE_NUMBERS, UserFactory

pytestmark = pytest.mark.django_db

URL = "/ja/members/organization/register/"


def form_data(**overrides):
    data = {
        "legal_name": "新規技研株式会社",
        "legal_name_kana": "シンキギケン",
        "name_en": "Shinki Giken Co., Ltd.",
        "corporate_number": CORPORATE_NUMBERS[2],
        "invoice_registration_number": "T" + CORPORATE_NUMBERS[2],
        "country": "JP",
        "postal_code": "980-0001",
        "address": "宮城県仙台市",
        "industry": "E",
        "size_band": "100-999",
        "website": "",
        "billing_contact_name": "経理 三郎",
        "billing_contact_department": "経理部",
        "billing_contact_email": "keiri@shinki.example.co.jp",
        "billing_contact_phone": "022-000-0000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def newcomer(client):
    user = UserFactory(email="newcomer@shinki.example.co.jp")
    verify_email(user)
    client.force_login(user)
    return user


def test_registering_makes_the_user_owner(client, newcomer):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    org = Organization.objects.get(corporate_number=CORPORATE_NUMBERS[2])
    assert Seat.objects.get(user=newcomer).organization == org
    assert Seat.objects.get(user=newcomer).role == "owner"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("corporate_number", "7000012050003", "13桁"),
        ("invoice_registration_number", "T7000012050003", "登録番号"),
        ("corporate_number", "", "法人番号"),
    ],
)
def test_invalid_numbers_are_refused_in_japanese_and_nothing_is_lost(client, newcomer, field, value, message):
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "新規技研株式会社" in response.content.decode()  # what was typed is kept
    assert not Organization.objects.filter(legal_name="新規技研株式会社").exists()


def test_foreign_company_may_omit_the_corporate_number(client, newcomer):
    response = client.post(URL, form_data(corporate_number="", invoice_registration_number="", country="de"))
    assert response.status_code == 302
    assert Organization.objects.get(legal_name="新規技研株式会社").country == "DE"


def test_duplicate_is_refused_without_showing_the_existing_organization(
    client, newcomer, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(corporate_number=org.corporate_number))
    assert response.status_code == 200
    page = response.content.decode()
    assert "既に登録" in page
    assert org.legal_name not in page and org.billing_contact_email not in page
    assert Organization.objects.count() == 1
    assert not Seat.objects.filter(user=newcomer).exists()
    # The existing organization's owner is told who asked to join.
    assert [m.to for m in mail.outbox] == [["owner@alpha.example.co.jp"]]
    assert newcomer.email in mail.outbox[0].body


def test_english_page_gives_english_messages(client, newcomer):
    response = client.post("/en/members/organization/register/", form_data(corporate_number="7000012050003"))
    assert "valid 13-digit corporate number" in str(response.context["form"].errors["corporate_number"])


def test_repeated_duplicate_attempts_tell_the_owner_once(client, newcomer, org, django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    cache.clear()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(URL, form_data(corporate_number=org.corporate_number))
    assert len(mail.outbox) == 1


def test_numbers_typed_with_a_japanese_ime_are_normalized_not_refused(client, newcomer):
    """Full-width digits, full-width T, spaces and the dashes an IME gives are what people type."""
    response = client.post(
        URL,
        form_data(
            corporate_number="５０００ ０１２－０１００２４",
            invoice_registration_number="Ｔ５０００－０１２０－１００２４",
            postal_code="９８０ー０００１",
            billing_contact_phone="０２２－０００－００００",
        ),
    )
    assert response.status_code == 302
    org = Organization.objects.get(corporate_number=CORPORATE_NUMBERS[2])
    assert org.invoice_registration_number == "T" + CORPORATE_NUMBERS[2]
    assert org.postal_code == "980-0001"
    assert org.billing_contact_phone == "022-000-0000"


def test_a_wrong_check_digit_is_still_refused_in_full_width(client, newcomer):
    response = client.post(URL, form_data(corporate_number="７０００１２０５０００３"))
    assert response.status_code == 200
    assert "corporate_number" in response.context["form"].errors
    assert not Organization.objects.exists()
