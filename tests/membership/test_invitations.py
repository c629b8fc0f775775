"""Invitations: signed, expiring, single-use links; seat limits; accepting creates or links the account."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from membership import services
from membership.models import Invitation, Seat
from tests.accounts.helpers import verify_email
from tests.membership.conftest import add_seat
from tests.membership.factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(client, email, role="member", lang="ja"):
    return client.post(f"/{lang}/members/team/invite/", {"email": email, "role": role})


def link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


@pytest.fixture
def sent(client, org, org_owner, django_capture_on_commit_callbacks):
    client.force_login(org_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, "jiro@alpha.example.co.jp")
    assert response.status_code == 302
    client.logout()
    return Invitation.objects.get(email="jiro@alpha.example.co.jp")


NEW_PERSON = {"last_name": "鈴木", "first_name": "次郎", "password1": "Aoba-Yama-2026", "password2": "Aoba-Yama-2026"}


def test_invitation_mail_carries_a_working_link_for_a_new_person(client, sent):
    assert mail.outbox[0].to == ["jiro@alpha.example.co.jp"]
    assert "招待" in mail.outbox[0].subject
    path = link_path(mail.outbox[0])
    response = client.get(path)
    assert response.status_code == 200 and "パスワード" in response.content.decode()
    response = client.post(path, NEW_PERSON)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="jiro@alpha.example.co.jp")
    assert Seat.objects.get(user=user).organization == sent.organization
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.emailaddress_set.get().verified
    assert (user.last_name, user.first_name) == ("鈴木", "次郎")


def test_a_used_link_does_not_work_twice(client, sent):
    path = link_path(mail.outbox[0])
    client.post(path, NEW_PERSON)
    client.logout()
    response = client.get(path)
    assert response.status_code == 400
    assert "既に使用" in response.content.decode()


def test_an_expired_link_is_refused(client, sent, settings):
    path = link_path(mail.outbox[0])
    settings.MEMBERSHIP_INVITATION_MAX_AGE_DAYS = -1  # every signature is now too old
    response = client.get(path)
    assert response.status_code == 400 and "有効期限" in response.content.decode()
    response = client.post(path, NEW_PERSON)
    assert not get_user_model().objects.filter(email=sent.email).exists()


def test_a_forged_link_is_refused(client, sent):
    path = link_path(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = path.replace(token, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    response = client.get(forged)
    assert response.status_code == 400 and "無効" in response.content.decode()
    from django.core import signing

    other = signing.dumps({"i": sent.pk, "e": sent.email}, salt="someone.else")
    assert client.get(f"/ja/members/invitations/{other}/").status_code == 400


def test_a_revoked_link_is_refused(client, sent, org_owner):
    services.invitation_revoke(invitation=sent, by=org_owner)
    response = client.get(link_path(mail.outbox[0]))
    assert response.status_code == 400 and "取り消され" in response.content.decode()


def test_an_existing_account_logs_in_then_accepts(client, sent):
    jiro = UserFactory(email="jiro@alpha.example.co.jp")
    verify_email(jiro)
    path = link_path(mail.outbox[0])
    assert "ログイン" in client.get(path).content.decode()
    client.force_login(jiro)
    assert client.post(path).status_code == 302
    assert Seat.objects.get(user=jiro).organization == sent.organization


def test_someone_else_signed_in_cannot_take_the_seat(client, sent, other_org):
    intruder = other_org.seats.get().user
    client.force_login(intruder)
    response = client.post(link_path(mail.outbox[0]))
    assert response.status_code == 403
    assert not Seat.objects.filter(organization=sent.organization, user=intruder).exists()
    sent.refresh_from_db()
    assert sent.is_pending


def test_the_seat_limit_is_enforced_with_a_clear_message(client, org, org_owner, settings):
    settings.MEMBERSHIP_SEATS_WITHOUT_MEMBERSHIP = 2
    client.force_login(org_owner)
    assert invite(client, "a@alpha.example.co.jp").status_code == 302  # owner + 1 pending = 2
    response = invite(client, "b@alpha.example.co.jp")
    assert response.status_code == 400
    assert "利用者枠（2名）がすべて埋まっています" in response.content.decode()
    assert not Invitation.objects.filter(email="b@alpha.example.co.jp").exists()


def test_the_tier_decides_the_seat_limit(org, org_owner, tier):
    services.membership_apply(organization=org, tier=tier, by=org_owner)  # tier has 3 seats
    add_seat(org, "x@alpha.example.co.jp")
    services.invitation_create(
        organization=org, email="y@alpha.example.co.jp", role="member", by=org_owner, language="ja"
    )
    with pytest.raises(ValidationError):
        services.invitation_create(
            organization=org, email="z@alpha.example.co.jp", role="member", by=org_owner, language="ja"
        )


def test_a_plain_member_cannot_invite(client, org, org_member):
    client.force_login(org_member)
    assert invite(client, "c@alpha.example.co.jp").status_code == 403
    assert not Invitation.objects.exists()


def test_expired_invitations_do_not_hold_seats(org, org_owner, settings):
    settings.MEMBERSHIP_SEATS_WITHOUT_MEMBERSHIP = 2
    old = services.invitation_create(
        organization=org, email="old@alpha.example.co.jp", role="member", by=org_owner, language="ja"
    )
    Invitation.objects.filter(pk=old.pk).update(created_at=old.created_at - dt.timedelta(days=30))
    services.invitation_create(
        organization=org, email="new@alpha.example.co.jp", role="member", by=org_owner, language="ja"
    )
