"""The staff inbox in the Wagtail admin: list, status filter, status change, CSV export, permissions."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from inquiries.models import Inquiry, InquiryStatus, InquiryStatusChange

from tests.accounts.helpers import give_mfa

pytestmark = pytest.mark.django_db


def make_inquiry(seed, **fields):
    from django.utils import timezone

    values = {
        "seed": seed,
        "seed_title": seed.title,
        "language_code": "ja",
        "company": "共創化学株式会社",
        "name": "山田 花子",
        "email": "hanako@example.co.jp",
        "message": "詳しく知りたい",
        "consent_given_at": timezone.now(),
    }
    values.update(fields)
    return Inquiry.objects.create(**values)


def test_inbox_lists_and_filters_by_status(admin_client, seed_site):
    make_inquiry(seed_site["seed"], company="新規商事")
    make_inquiry(seed_site["seed"], company="回答済工業", status=InquiryStatus.ANSWERED)
    html = admin_client.get("/admin/inquiries/").text
    assert "新規商事" in html and "回答済工業" in html
    filtered = admin_client.get("/admin/inquiries/?status=new").text
    assert "新規商事" in filtered
    assert "回答済工業" not in filtered


def test_staff_change_the_status_through_the_edit_screen(admin_client, admin_user, seed_site):
    inquiry = make_inquiry(seed_site["seed"])
    response = admin_client.post(
        f"/admin/inquiries/edit/{inquiry.pk}/", {"status": "answered", "note": "メールで回答済み"}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == "answered"
    assert inquiry.handled_by == admin_user
    assert InquiryStatusChange.objects.get().note == "メールで回答済み"
    history = admin_client.get(f"/admin/inquiries/inspect/{inquiry.pk}/").text
    assert "新規 → 回答済み (admin@example.com): メールで回答済み" in history
    # Fields the sender wrote cannot be changed from the admin.
    admin_client.post(f"/admin/inquiries/edit/{inquiry.pk}/", {"status": "closed", "message": "改ざん"})
    inquiry.refresh_from_db()
    assert inquiry.message == "詳しく知りたい"
    assert inquiry.status == "closed"


def test_inbox_exports_csv(admin_client, seed_site):
    make_inquiry(seed_site["seed"], phone="03-0000-1111")
    response = admin_client.get("/admin/inquiries/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 2
    header, row = rows
    assert "共創化学株式会社" in row
    assert "hanako@example.co.jp" in row
    assert "03-0000-1111" in row
    assert "高耐熱セラミックス材料" in row
    assert len(header) == len(row)


def test_inbox_exports_open_in_japanese_excel(admin_client, seed_site):
    """UTF-8 with a BOM, JST to the second, labels, Japanese headings; the same in XLSX."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import openpyxl

    sent = datetime(2026, 12, 4, 9, 15, 2, 123456, tzinfo=ZoneInfo("UTC"))  # 18:15:02 in Tokyo
    inquiry = make_inquiry(seed_site["seed"])
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=sent)
    response = admin_client.get("/admin/inquiries/?export=csv", HTTP_ACCEPT_LANGUAGE="ja")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    (row,) = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert row["受付日時"] == "2026-12-04 18:15:02"
    assert row["状態"] == "新規" and row["言語"] == "日本語" and row["経路"] != "seed_page"

    response = admin_client.get("/admin/inquiries/?export=xlsx", HTTP_ACCEPT_LANGUAGE="ja")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headings, values = (list(r) for r in sheet.iter_rows(values_only=True))
    cells = dict(zip(headings, values, strict=True))
    assert cells["受付日時"] == datetime(2026, 12, 4, 18, 15, 2)
    assert cells["状態"] == "新規" and cells["言語"] == "日本語"


def test_staff_cannot_add_inquiries_by_hand(admin_client, seed_site):
    assert admin_client.get("/admin/inquiries/new/").status_code in {302, 403}


def test_only_staff_with_permission_see_the_inbox(client, django_user_model, seed_site):
    make_inquiry(seed_site["seed"])
    editor = django_user_model.objects.create_user(email="editor@kyoso.example.jp", password="pw-123456")
    group = Group.objects.create(name="Inquiry readers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    give_mfa(editor)  # anyone who may open the admin needs two-factor authentication
    client.force_login(editor)
    assert client.get("/admin/inquiries/").status_code in {302, 403}
    assert "共創化学株式会社" not in client.get("/admin/inquiries/").text

    group.permissions.add(Permission.objects.get(codename="view_inquiry"))
    editor = django_user_model.objects.get(pk=editor.pk)
    client.force_login(editor)
    assert "共創化学株式会社" in client.get("/admin/inquiries/").text


def test_a_refused_status_change_shows_the_reason_and_keeps_the_note(admin_client, seed_site):
    inquiry = make_inquiry(seed_site["seed"], status=InquiryStatus.CLOSED)
    response = admin_client.post(f"/admin/inquiries/edit/{inquiry.pk}/", {"status": "answered", "note": "再回答"})
    assert response.status_code == 200
    assert "お問い合わせの状態を「完了」から「回答済み」には変更できません。" in response.text
    assert "再回答" in response.text
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CLOSED
    assert not InquiryStatusChange.objects.exists()
