"""Staff screens: the application queue, the checklist, decisions, groups, export."""

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import translation

from membership import services
from membership.models import Membership, ScreeningCheck
from tests.accounts.helpers import give_mfa
from tests.membership.factories import OrganizationFactory, TierFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_in(group_name: str, email: str):
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    give_mfa(user)
    return user


@pytest.fixture
def general_cm():
    return staff_in("統括CM", "sokatsu@kyoso.example.jp")


@pytest.fixture
def legal_cm():
    return staff_in("法務CM", "homu@kyoso.example.jp")


@pytest.fixture
def readonly():
    return staff_in("閲覧スタッフ", "etsuran@kyoso.example.jp")


def application(*, country="JP", corporate_number=None, language="ja", email="applicant@example.co.jp"):
    owner = UserFactory(email=email)
    org = services.organization_register(
        organization=OrganizationFactory.build(country=country, corporate_number=corporate_number), owner=owner
    )
    return services.membership_apply(organization=org, tier=TierFactory(), by=owner, language=language)


def review(client, m):
    return client.get(f"/admin/membership_application/inspect/{m.pk}/")


def post(client, m, **data):
    return client.post(f"/admin/membership_application/inspect/{m.pk}/", data, follow=True)


def test_queue_filters_by_status_tier_and_location(client, general_cm):
    domestic = application(corporate_number="7000012050002", email="a@example.co.jp")
    foreign = application(country="DE", email="b@example.de")
    client.force_login(general_cm)
    page = client.get("/admin/membership_application/?location=foreign").content.decode()
    assert foreign.organization.legal_name in page and domestic.organization.legal_name not in page
    page = client.get("/admin/membership_application/?location=domestic&status=applied").content.decode()
    assert domestic.organization.legal_name in page and foreign.organization.legal_name not in page
    page = client.get(f"/admin/membership_application/?tier={foreign.tier_id}").content.decode()
    assert foreign.organization.legal_name in page and domestic.organization.legal_name not in page


def test_queue_exports_csv_and_xlsx(client, general_cm):
    m = application(corporate_number="7000012050002")
    client.force_login(general_cm)
    response = client.get("/admin/membership_application/?export=csv", HTTP_ACCEPT_LANGUAGE="ja")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # Japanese Excel reads UTF-8 only with the BOM
    body = raw.decode("utf-8-sig")
    assert m.organization.legal_name in body and "7000012050002" in body
    (row,) = csv.DictReader(io.StringIO(body))
    with translation.override("ja"):
        assert row["状態"] == m.get_status_display() != "applied"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row["申込日時"]), row  # JST, to the second
    response = client.get("/admin/membership_application/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert m.organization.legal_name in [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_domestic_approval_needs_a_clear_conflict_of_interest_check(client, general_cm):
    m = application(corporate_number="7000012050002")
    client.force_login(general_cm)
    refused = post(client, m, action="approve", reason="")
    assert Membership.objects.get(pk=m.pk).status == "applied"
    assert [message.level_tag for message in refused.context["messages"]] == ["error"]
    post(client, m, **{"action": "coi", "coi-result": "clear", "coi-note": "関係なし"})
    check = ScreeningCheck.objects.get(membership=m, kind="coi")
    assert (check.by, check.result, check.note) == (general_cm, "clear", "関係なし")
    assert Membership.objects.get(pk=m.pk).status == "screening"
    response = post(client, m, action="approve", reason="確認済み", confirm="1")
    m.refresh_from_db()
    # Approved, and invoiced by billing in the same transaction.
    assert m.status == "invoiced" and m.fee is not None
    assert m.transitions.get(to_status="approved").by == general_cm
    assert m.organization.invoices.get().subtotal == m.fee
    assert [(message.level_tag, message.message) for message in response.context["messages"]] == [
        ("success", "申込みを承認しました。")
    ]


def test_foreign_application_needs_export_control_by_legal_cm(client, general_cm, legal_cm):
    m = application(country="DE")
    client.force_login(general_cm)
    post(client, m, **{"action": "coi", "coi-result": "clear"})
    # Not a legal CM: the export-control check is refused and not recorded.
    post(client, m, **{"action": "export", "export-result": "clear"})
    assert not ScreeningCheck.objects.filter(membership=m, kind="export").exists()
    post(client, m, action="approve")
    assert Membership.objects.get(pk=m.pk).status == "screening"
    client.force_login(legal_cm)
    post(client, m, **{"action": "export", "export-result": "clear", "export-note": "該非判定済み"})
    assert ScreeningCheck.objects.get(membership=m, kind="export").by == legal_cm
    post(client, m, action="approve", confirm="1")
    assert Membership.objects.get(pk=m.pk).status == "invoiced"


def test_rejection_reason_is_mailed_in_the_applicants_language(client, general_cm, django_capture_on_commit_callbacks):
    m = application(corporate_number="7000012050002", language="en", email="applicant@example.com")
    client.force_login(general_cm)
    post(client, m, **{"action": "coi", "coi-result": "concern"})
    post(client, m, action="reject", reason="")  # a reason is required
    assert Membership.objects.get(pk=m.pk).status == "screening"
    with django_capture_on_commit_callbacks(execute=True):
        post(client, m, action="reject", reason="Conflict with an ongoing project.")
    assert Membership.objects.get(pk=m.pk).status == "rejected"
    assert mail.outbox[-1].to == ["applicant@example.com"]
    assert "unable to accept" in mail.outbox[-1].body and "Conflict with an ongoing project." in mail.outbox[-1].body


def test_rejection_mail_in_japanese(general_cm, django_capture_on_commit_callbacks):
    m = application(corporate_number="7000012050002", language="ja")
    services.screening_record_check(membership=m, kind="coi", result="concern", by=general_cm)
    with django_capture_on_commit_callbacks(execute=True):
        services.screening_reject(membership=m, by=general_cm, reason="利益相反のため")
    assert "お受けできない" in mail.outbox[-1].body and "利益相反のため" in mail.outbox[-1].body


def test_read_only_staff_see_but_cannot_decide(client, readonly):
    m = application(corporate_number="7000012050002")
    client.force_login(readonly)
    assert review(client, m).status_code == 200
    assert "承認する" not in review(client, m).content.decode()
    post(client, m, **{"action": "coi", "coi-result": "clear"})
    post(client, m, action="approve")
    assert Membership.objects.get(pk=m.pk).status == "applied"
    assert not ScreeningCheck.objects.exists()


def test_members_and_anonymous_cannot_open_the_queue(client):
    assert client.get("/admin/membership_application/").status_code == 302
    member = UserFactory(email="m@example.co.jp")
    client.force_login(member)
    assert client.get("/admin/membership_application/").status_code in (302, 403)


def test_organization_record_shows_history(client, general_cm):
    m = application(corporate_number="7000012050002")
    services.screening_record_check(membership=m, kind="coi", result="clear", by=general_cm)
    client.force_login(general_cm)
    page = client.get(f"/admin/membership_organization/inspect/{m.organization_id}/").content.decode()
    assert "applicant@example.co.jp" in page
    assert general_cm.email in page  # who started the screening


def test_finance_cm_edits_tiers_and_project_cm_does_not(client):
    finance = staff_in("財務CM", "zaimu@kyoso.example.jp")
    project = staff_in("プロジェクトCM", "pj@kyoso.example.jp")
    tier = TierFactory()
    client.force_login(project)
    assert client.get(f"/admin/membership_tier/edit/{tier.pk}/").status_code in (302, 403)
    client.force_login(finance)
    assert client.get(f"/admin/membership_tier/edit/{tier.pk}/").status_code == 200


def test_the_history_reads_in_the_readers_language(client, general_cm):
    """The reason the system wrote when the first invoice was issued is shown in Japanese in the
    Japanese admin and in English in the English one; a reason a person typed stays as typed."""
    from billing.models import Invoice

    m = application()
    services.membership_start_screening(membership=m, by=None, reason="書類確認済み")
    client.force_login(general_cm)
    post(client, m, **{"action": "coi", "coi-result": "clear"})
    post(client, m, action="approve", confirm="1")
    number = Invoice.objects.get(organization=m.organization).number
    html = review(client, m).content.decode()
    assert f"請求書 {number} を発行" in html and "書類確認済み" in html
    general_cm.wagtail_userprofile.preferred_language = "en"
    general_cm.wagtail_userprofile.save()
    assert f"invoice {number} issued" in review(client, m).content.decode()


def test_each_screener_is_offered_only_the_checks_they_may_record(client, general_cm, legal_cm):
    m = application(country="DE")
    services.membership_start_screening(membership=m, by=None)
    client.force_login(general_cm)
    html = review(client, m).content.decode()
    assert 'name="coi-result"' in html and 'name="export-result"' not in html
    assert "法務CM" in html  # says who records the export-control check instead
    client.force_login(legal_cm)
    assert 'name="export-result"' in review(client, m).content.decode()
