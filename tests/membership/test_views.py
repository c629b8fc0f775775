"""Who may see and do what in the member area; another organization's objects are 404."""

import pytest

from membership import services
from membership.models import Invitation, Membership, Organization, Seat

pytestmark = pytest.mark.django_db

PAGES = ["/ja/members/", "/ja/members/organization/", "/ja/members/team/", "/ja/members/apply/"]


@pytest.fixture
def users(org_owner, org_admin, org_member, other_org):
    from tests.membership.factories import UserFactory

    return {
        "owner": org_owner,
        "admin": org_admin,
        "member": org_member,
        "outsider": other_org.seats.get().user,
        "no_org": UserFactory(email="lonely@example.co.jp"),
    }


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["owner", "admin", "member"])
@pytest.mark.parametrize("path", PAGES)
def test_seat_holders_see_their_own_organization(client, users, org, path, role):
    client.force_login(users[role])
    response = client.get(path)
    assert response.status_code == 200
    assert org.legal_name in response.content.decode()


def test_outsiders_see_only_their_own_organization(client, users, org):
    client.force_login(users["outsider"])
    for path in PAGES:
        page = client.get(path).content.decode()
        assert org.legal_name not in page
        assert "owner@alpha.example.co.jp" not in page


@pytest.mark.parametrize("path", PAGES[1:])
def test_users_without_an_organization_are_sent_to_the_dashboard(client, users, path):
    client.force_login(users["no_org"])
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == "/ja/members/"


# action, roles allowed
MATRIX = {
    "edit_profile": {"owner", "admin"},
    "invite": {"owner", "admin"},
    "remove_member": {"owner", "admin"},
    "make_owner": {"owner"},
    "apply": {"owner", "admin"},
}


def do(client, action, org, target_seat):
    if action == "edit_profile":
        from tests.membership.test_organizations import form_data

        data = form_data(corporate_number=org.corporate_number, legal_name="改名株式会社")
        data["invoice_registration_number"] = ""
        return client.post("/ja/members/organization/", data)
    if action == "invite":
        return client.post("/ja/members/team/invite/", {"email": "new@alpha.example.co.jp", "role": "member"})
    if action == "remove_member":
        return client.post(f"/ja/members/team/seats/{target_seat.pk}/remove/")
    if action == "make_owner":
        return client.post(f"/ja/members/team/seats/{target_seat.pk}/make-owner/")
    if action == "apply":
        from tests.membership.factories import TierFactory

        return client.post("/ja/members/apply/", {"tier": TierFactory().pk})
    raise AssertionError(action)


def changed(action, org, target_seat) -> bool:
    if action == "edit_profile":
        return Organization.objects.get(pk=org.pk).legal_name == "改名株式会社"
    if action == "invite":
        return Invitation.objects.filter(organization=org, email="new@alpha.example.co.jp").exists()
    if action == "remove_member":
        return not Seat.objects.filter(pk=target_seat.pk).exists()
    if action == "make_owner":
        return Seat.objects.get(pk=target_seat.pk).role == "owner"
    if action == "apply":
        return Membership.objects.filter(organization=org).exists()
    raise AssertionError(action)


@pytest.mark.parametrize("role", ["owner", "admin", "member", "outsider"])
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_permission_matrix(client, users, org, role, action, settings):
    settings.MEMBERSHIP_SEATS_WITHOUT_MEMBERSHIP = 10
    target = Seat.objects.create(
        organization=org,
        user=__import__("tests.membership.factories", fromlist=["UserFactory"]).UserFactory(
            email="target@alpha.example.co.jp"
        ),
    )
    client.force_login(users[role])
    response = do(client, action, org, target)
    allowed = role in MATRIX[action]
    assert changed(action, org, target) is allowed, (role, action, response.status_code)
    if not allowed and role != "outsider":  # an outsider's post acts on their own organization
        assert response.status_code in (302, 403)
    if role == "outsider" and action in ("remove_member", "make_owner"):
        assert response.status_code == 404


def test_another_organizations_invitation_cannot_be_revoked(client, users, org, settings):
    settings.MEMBERSHIP_SEATS_WITHOUT_MEMBERSHIP = 10
    invitation = services.invitation_create(
        organization=org, email="x@alpha.example.co.jp", role="member", by=users["owner"], language="ja"
    )
    client.force_login(users["outsider"])
    assert client.post(f"/ja/members/team/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_handing_over_ownership_keeps_one_owner(client, users, org):
    client.force_login(users["owner"])
    admin_seat = Seat.objects.get(user=users["admin"])
    client.post(f"/ja/members/team/seats/{admin_seat.pk}/make-owner/")
    roles = dict(Seat.objects.filter(organization=org).values_list("user__email", "role"))
    assert roles["admin@alpha.example.co.jp"] == "owner"
    assert roles["owner@alpha.example.co.jp"] == "admin"


def test_owner_cannot_be_removed(client, users, org):
    client.force_login(users["admin"])
    owner_seat = Seat.objects.get(user=users["owner"])
    response = client.post(f"/ja/members/team/seats/{owner_seat.pk}/remove/", follow=True)
    assert "オーナーは外せません" in response.content.decode()
    assert Seat.objects.filter(pk=owner_seat.pk).exists()


def test_dashboard_shows_status_tier_and_fiscal_year(client, users, org, tier, without_billing):
    import datetime as dt

    from tests.membership.factories import record_clear_checks

    staff = __import__("tests.membership.factories", fromlist=["UserFactory"]).UserFactory(
        email="cm@kyoso.example.jp", is_staff=True
    )
    m = services.membership_apply(organization=org, tier=tier, by=users["owner"])
    m = services.membership_start_screening(membership=m, by=staff)
    services.membership_approve(membership=record_clear_checks(m), by=staff, today=dt.date(2026, 10, 1))
    client.force_login(users["member"])
    page = client.get("/ja/members/").content.decode()
    assert "承認済み" in page and "一般会員" in page and "2026年度" in page and "請求書をメールで" in page
    page = client.get("/en/members/").content.decode()
    assert "Approved" in page and "Regular member" in page and "FY2026" in page


def test_tier_change_after_approval_waits_for_the_next_term(client, users, org, tier):
    from tests.membership.factories import TierFactory, record_clear_checks

    staff = __import__("tests.membership.factories", fromlist=["UserFactory"]).UserFactory(
        email="cm@kyoso.example.jp", is_staff=True
    )
    m = services.membership_apply(organization=org, tier=tier, by=users["owner"])
    services.membership_approve(
        membership=record_clear_checks(services.membership_start_screening(membership=m, by=staff)), by=staff
    )
    bigger = TierFactory(name_ja="特別会員", name_en="Special", annual_fee=300_000, seats=10)
    client.force_login(users["owner"])
    client.post("/ja/members/apply/", {"tier": bigger.pk})
    m.refresh_from_db()
    assert (m.tier, m.next_tier) == (tier, bigger)
    change = m.transitions.last()
    assert change.data["tier_change"]["direction"] == "upgrade" and change.by == users["owner"]


def test_the_team_page_lists_people_by_name_family_name_first_in_japanese(client, org_owner, org_member, org):
    org_member.last_name, org_member.first_name = "鈴木", "次郎"
    org_member.save()
    client.force_login(org_owner)
    html = client.get("/ja/members/team/").content.decode()
    assert f'<caption class="small">{org.display_name} の利用者</caption>' in html
    assert "<td>鈴木 次郎</td>" in html
    english = client.get("/en/members/team/").content.decode()
    assert "<td>次郎 鈴木</td>" in english  # given name first in English


def test_a_person_sets_their_own_name_and_a_blank_one_is_refused(client, org_member):
    client.force_login(org_member)
    response = client.post("/ja/members/profile/", {"last_name": "", "first_name": "次郎"})
    assert response.status_code == 400
    org_member.refresh_from_db()
    assert org_member.first_name == ""
    response = client.post("/ja/members/profile/", {"last_name": "鈴木", "first_name": "次郎"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["氏名を保存しました。"]
    org_member.refresh_from_db()
    assert (org_member.last_name, org_member.first_name) == ("鈴木", "次郎")
