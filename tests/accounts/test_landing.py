"""Where people land after logging in, and a staff member's first login through the
two-factor set-up, which ends with a way on to the page they wanted."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.accounts.helpers import give_mfa, totp_code, verify_email
from tests.membership.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def login(client, email, next_url=None):
    data = {"login": email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/ja/accounts/login/", data)


def test_a_member_lands_on_the_member_dashboard_or_where_they_came_from(client):
    member = UserFactory(email="member@example.co.jp")
    verify_email(member)
    assert login(client, member.email)["Location"] == "/ja/members/"
    client.logout()
    assert login(client, member.email, next_url="/ja/seeds/")["Location"] == "/ja/seeds/"


def test_staff_land_on_the_admin(client):
    staff = UserFactory(email="cm@kyoso.example.jp", is_staff=True, is_superuser=True)
    verify_email(staff)
    secret = give_mfa(staff)
    response = login(client, staff.email)
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"


def test_a_staff_members_first_login_sets_up_two_factor_and_goes_on_to_the_admin(client):
    staff = UserFactory(email="new-cm@kyoso.example.jp", is_staff=True, is_superuser=True)
    verify_email(staff)
    response = login(client, staff.email, next_url="/admin/pages/")
    assert response["Location"] == "/admin/pages/"
    response = client.get("/admin/pages/")
    assert response["Location"].startswith("/ja/accounts/2fa/totp/activate/")
    activate_url = response["Location"]
    reauth = client.get(activate_url)
    assert reauth["Location"].startswith("/ja/accounts/reauthenticate/")  # allauth asks for the password again
    response = client.post(reauth["Location"], {"password": PASSWORD})
    assert response["Location"] == activate_url
    page = client.get(activate_url)
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(activate_url, {"code": code})
    assert response.status_code == 302
    codes_page = client.get(response["Location"])
    html = codes_page.content.decode()
    assert codes_page.status_code == 200
    assert '<a class="button" href="/admin/pages/">' in html
    assert '<ul class="actions">' in html  # the two links no longer run together
    assert client.get("/admin/pages/").status_code == 200
