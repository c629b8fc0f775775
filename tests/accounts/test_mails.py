"""allauth's mails in the site's voice: addressed with 様 in Japanese, signed by the organization."""

import pytest
from django.core import mail

from tests.accounts.helpers import verify_email
from tests.membership.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "new@example.co.jp", "password1": "Tsuyoi-Pass-2026", "password2": "Tsuyoi-Pass-2026"}


def test_the_japanese_signup_mail_addresses_the_person_and_is_signed_by_the_organization(client):
    client.post("/ja/accounts/signup/", SIGNUP)
    body = mail.outbox[0].body
    assert body.startswith("new@example.co.jp 様\n")
    assert "次のリンクを開いて、メールアドレスの確認を完了してください。" in body
    assert "/ja/accounts/confirm-email/" in body
    assert body.rstrip().endswith("共創 オープンイノベーション機構")
    assert "こんにちは" not in body  # allauth's stock greeting


def test_the_english_signup_mail_is_in_english(client):
    client.post("/en/accounts/signup/", SIGNUP)
    body = mail.outbox[0].body
    assert body.startswith("Dear new@example.co.jp,\n")
    assert "Open this link to confirm your e-mail address:" in body
    assert body.rstrip().endswith("Kyoso — Open Innovation Organization")


def test_a_password_reset_mail_uses_the_persons_name_family_name_first(client):
    user = UserFactory(email="jiro@example.co.jp", last_name="鈴木", first_name="次郎")
    verify_email(user)
    client.post("/ja/accounts/password/reset/", {"email": "jiro@example.co.jp"})
    body = mail.outbox[0].body
    assert body.startswith("鈴木 次郎 様\n")
    assert "/ja/accounts/password/reset/key/" in body
