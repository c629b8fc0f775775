"""Accounts: lockout per account, session rotation, staff MFA, every login through allauth's."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.http import urlencode

from tests.accounts.helpers import give_mfa, totp_code, verify_email
from tests.membership.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _db_cache(db, settings):
    """The rate limits live in the real (database) cache; start each test empty."""
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    cache.clear()


@pytest.fixture
def member():
    user = UserFactory(email="taro@example.co.jp")
    verify_email(user)
    return user


def _login(client, email, password, ip):
    return client.post("/ja/accounts/login/", {"login": email, "password": password}, HTTP_X_FORWARDED_FOR=ip)


def test_six_wrong_passwords_lock_the_account_even_from_changing_ips(client, member, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # so that X-Forwarded-For is believed
    for n in range(6):
        _login(client, member.email, "wrong-password", ip=f"203.0.113.{n + 1}")
    response = _login(client, member.email, PASSWORD, ip="198.51.100.77")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    # Another account is not locked by it.
    other = UserFactory(email="hanako@example.co.jp")
    verify_email(other)
    _login(client, other.email, PASSWORD, ip="198.51.100.78")
    assert client.session["_auth_user_id"] == str(other.pk)


def test_a_wrong_password_or_two_does_not_lock(client, member):
    _login(client, member.email, "wrong-password", ip="203.0.113.1")
    _login(client, member.email, PASSWORD, ip="203.0.113.1")
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_session_key_changes_at_login(client, member):
    client.get("/ja/accounts/login/")
    client.cookies  # noqa: B018
    session = client.session
    session["probe"] = "before login"
    session.save()
    before = session.session_key
    _login(client, member.email, PASSWORD, ip="203.0.113.9")
    assert client.session["_auth_user_id"] == str(member.pk)
    assert client.session.session_key != before


def test_unknown_email_and_wrong_password_look_the_same(client, member):
    wrong = _login(client, member.email, "nope-nope-nope", ip="203.0.113.10")
    unknown = _login(client, "nobody@example.co.jp", "nope-nope-nope", ip="203.0.113.11")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_signup_sends_a_verification_mail_and_login_waits_for_it(client):
    response = client.post(
        "/ja/accounts/signup/",
        {"email": "new@example.co.jp", "password1": "Tsuyoi-Pass-2026", "password2": "Tsuyoi-Pass-2026"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "new@example.co.jp" in mail.outbox[0].to
    assert "_auth_user_id" not in client.session  # mandatory verification


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_staff_without_mfa_cannot_reach_the_admin(client, path):
    staff = UserFactory(email="cm@kyoso.example.jp", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_with_mfa_reaches_the_admin(client):
    staff = UserFactory(email="cm@kyoso.example.jp", is_staff=True, is_superuser=True)
    give_mfa(staff)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


def test_members_without_mfa_are_not_forced(client, member):
    client.force_login(member)
    assert client.get("/ja/members/").status_code == 200


def test_staff_login_asks_for_the_totp_code(client):
    staff = UserFactory(email="cm@kyoso.example.jp", is_staff=True)
    verify_email(staff)
    secret = give_mfa(staff)
    response = _login(client, staff.email, PASSWORD, ip="203.0.113.20")
    assert response.status_code == 302 and "2fa/authenticate" in response["Location"]
    assert "_auth_user_id" not in client.session
    client.post(response["Location"], {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(staff.pk)


# The login forms Wagtail and Django serve at their own URLs, with a password field each.
OLD_LOGIN_URLS = ["/admin/login/", "/django-admin/login/", "/ja/_util/login/", "/en/_util/login/"]


def _staff(email="cm@kyoso.example.jp", *, verified=True, mfa=True):
    staff = UserFactory(email=email, is_staff=True, is_superuser=True)
    if verified:
        verify_email(staff)
    secret = give_mfa(staff) if mfa else None
    return staff, secret


def _post_password(client, url, email, password):
    # Both field names: Django's and Wagtail's forms call it "username", allauth's "login".
    return client.post(url, {"username": email, "login": email, "password": password, "next": "/admin/"})


@pytest.mark.parametrize("url", OLD_LOGIN_URLS)
def test_a_password_posted_to_a_packages_own_login_form_signs_nobody_in(client, url):
    staff, _secret = _staff()
    response = _post_password(client, url, staff.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # The admins are still closed.
    assert client.get("/admin/").status_code == 302
    assert client.get("/django-admin/").status_code == 302


@pytest.mark.parametrize(
    ("url", "next_url"),
    [
        ("/admin/login/?next=/admin/pages/", "/admin/pages/"),
        ("/admin/login/", "/admin/"),
        ("/django-admin/login/?next=/django-admin/auth/group/", "/django-admin/auth/group/"),
        ("/ja/_util/login/?next=/ja/seeds/", "/ja/seeds/"),
        # Only places on this site.
        ("/admin/login/?next=https://evil.example/", "/admin/"),
    ],
)
def test_the_old_login_urls_lead_to_allauths_login_keeping_next(client, url, next_url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?{urlencode({'next': next_url})}"


@pytest.mark.parametrize(("admin_path", "login_path"), [("/admin/", "/admin/login/"), ("/django-admin/", None)])
def test_an_admin_login_asks_for_the_totp_code_then_opens_the_admin(client, admin_path, login_path):
    staff, secret = _staff()
    # The way a person finds it: the admin sends them to a login page.
    response = client.get(login_path or admin_path, follow=True)
    login_url = response.redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login"))
    response = client.post(login_url, {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert response["Location"] == admin_path
    assert client.get(admin_path).status_code == 200


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/", "/ja/accounts/login/"])
def test_thirty_wrong_passwords_then_the_right_one_gets_no_session(client, url):
    staff, _secret = _staff(mfa=False)
    for _ in range(30):
        _post_password(client, url, staff.email, "wrong-password")
    response = _post_password(client, url, staff.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    # allauth's own login says why; the others send the visitor to it.
    assert response.status_code in (302, 429)


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/", "/ja/accounts/login/"])
def test_an_unverified_email_address_gets_no_session(client, url):
    staff, _secret = _staff(email="new-cm@kyoso.example.jp", verified=False)
    _post_password(client, url, staff.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    response = client.get("/ja/members/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_allauths_login_sends_the_verification_mail_to_an_unverified_address(client):
    staff, _secret = _staff(email="new-cm@kyoso.example.jp", verified=False)
    _login(client, staff.email, PASSWORD, ip="203.0.113.30")
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mail.outbox] == [[staff.email]]


def test_a_signed_in_member_at_the_django_admin_login_gets_a_403_not_a_loop(client, member):
    client.force_login(member)
    assert client.get("/django-admin/login/?next=/django-admin/").status_code == 403


def test_signed_in_staff_at_an_old_login_url_go_on_to_next(client):
    staff, _secret = _staff()
    client.force_login(staff)
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    response = client.get("/django-admin/login/?next=/django-admin/auth/group/")
    assert response.status_code == 302 and response["Location"] == "/django-admin/auth/group/"


def test_a_page_for_signed_in_users_sends_visitors_to_allauths_login(client, demo_home):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=demo_home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(demo_home.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_wagtail_admin_login_goes_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/ja/accounts/login/", "ログイン"),
        ("/en/accounts/login/", "Sign In"),
        ("/ja/accounts/signup/", "ユーザー登録"),
        ("/ja/accounts/password/reset/", "パスワード"),
    ],
)
def test_account_pages_are_in_the_site_design_in_both_languages(client, path, heading):
    page = client.get(path).content.decode()
    assert 'class="site-header"' in page and heading in page


def test_account_settings_pages_link_to_mfa_and_the_member_area(client, member):
    client.force_login(member)
    for path in ("/ja/accounts/email/", "/ja/accounts/2fa/"):
        page = client.get(path).content.decode()
        assert "二要素認証" in page and "/ja/members/" in page


@pytest.mark.parametrize(
    ("language", "message", "member_area"),
    [
        ("ja", "スタッフ用管理画面を利用する権限がありません", "/ja/members/"),
        ("en", "no access to the staff admin", "/en/members/"),
    ],
)
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/login/"])
def test_signed_in_user_without_admin_access_gets_a_403_page_not_a_redirect_loop(
    client, member, path, language, message, member_area
):
    client.force_login(member)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    page = response.content.decode()
    assert message in page and 'class="site-header"' in page
    assert f'href="{member_area}"' in page and f'href="/{language}/accounts/logout/"' in page


def test_staff_flag_without_admin_access_is_refused_before_mfa_is_asked(client):
    staff = UserFactory(email="clerk@kyoso.example.jp", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ja").status_code == 403


def test_group_with_admin_access_reaches_the_admin(client):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="広報")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    editor = UserFactory(email="pr@kyoso.example.jp")
    editor.groups.add(group)
    give_mfa(editor)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_anonymous_admin_visitor_is_still_sent_to_the_login(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] and "next=/admin/pages/" in response["Location"]
