"""Staff cancel a registration or confirm it again: through the service, with a
history row (who, when, why), the capacity rule kept, and e-mails in each
reader's language."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from events.models import EventRegistration, RegistrationStatus, RegistrationStatusChange
from events.services import EventFull, registration_create, registration_set_status

from tests.site.public_site import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event(upcoming_event, django_capture_on_commit_callbacks):
    """Both seats taken, one by a person who registered in English."""
    event = upcoming_event["ja"]
    with django_capture_on_commit_callbacks(execute=True):
        first = registration_create(event=event, name="山田 花子", email="hanako@example.co.jp", language_code="ja")
        second = registration_create(
            event=upcoming_event["en"], name="Jane Doe", email="jane@example.com", language_code="en"
        )
    mail.outbox.clear()
    return {"event": event, "first": first, "second": second}


def test_sign_up_is_the_first_history_row(full_event):
    (row,) = full_event["first"].status_changes.all()
    assert (row.from_status, row.to_status, row.changed_by) == ("", "registered", None)


def test_cancelling_records_who_when_why_and_tells_the_person_in_their_language(
    full_event, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration_set_status(
            registration=full_event["second"], status="cancelled", by=admin_user, note="本人から電話で取消"
        )
    registration = EventRegistration.objects.get(pk=full_event["second"].pk)
    assert registration.status == RegistrationStatus.CANCELLED
    change = registration.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "registered",
        "cancelled",
        admin_user,
        "本人から電話で取消",
    )
    assert change.changed_at is not None
    (message,) = mail.outbox
    assert message.to == ["jane@example.com"]
    assert message.subject == "Registration cancelled: Life science matching day"
    assert "Dear Jane Doe," in message.body and "has been cancelled" in message.body
    assert "本人から電話で取消" not in message.body  # the note is for staff


def test_confirming_again_respects_the_capacity(full_event, admin_user, django_capture_on_commit_callbacks):
    first, second = full_event["first"], full_event["second"]
    registration_set_status(registration=first, status="cancelled", by=admin_user)
    # The freed seat is taken by someone else …
    registration_create(event=full_event["event"], name="佐藤", email="sato@example.jp", language_code="ja")
    # … so staff cannot put the cancelled registration back: the event would be over capacity.
    with pytest.raises(EventFull):
        registration_set_status(registration=first, status="registered", by=admin_user)
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert first.status_changes.count() == 2  # sign-up and cancellation, no half-written third row
    # Once a seat is free again, it works, and the person hears of it in Japanese.
    registration_set_status(registration=second, status="cancelled", by=admin_user, notify=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_set_status(registration=first, status="registered", by=admin_user, note="席が空いたため")
    first.refresh_from_db()
    assert first.status == "registered"
    (message,) = mail.outbox
    assert message.to == ["hanako@example.co.jp"]
    assert "再度確定" in message.subject and "山田 花子 様" in message.body


def test_confirming_again_refuses_a_second_active_registration_of_one_address(full_event, admin_user):
    first = full_event["first"]
    registration_set_status(registration=first, status="cancelled", by=admin_user)
    registration_create(event=full_event["event"], name="山田 花子", email="HANAKO@example.co.jp", language_code="ja")
    with pytest.raises(ValidationError):
        registration_set_status(registration=first, status="registered", by=admin_user)
    first.refresh_from_db()
    assert first.status == "cancelled"


def test_same_status_changes_nothing(full_event, admin_user):
    registration_set_status(registration=full_event["first"], status="registered", by=admin_user)
    assert RegistrationStatusChange.objects.filter(registration=full_event["first"]).count() == 1


def test_admin_edit_screen_goes_through_the_service_and_shows_the_history(
    admin_client, admin_user, full_event, django_capture_on_commit_callbacks
):
    first = full_event["first"]
    url = f"/admin/event-registrations/edit/{first.pk}/"
    edit = admin_client.get(url)
    assert edit.status_code == 200 and 'name="note"' in edit.text
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"status": "cancelled", "note": "重複登録のため", "notify": "on", "name": "改ざん"}
        )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert first.name == "山田 花子"  # what the person typed cannot be changed here
    change = first.status_changes.last()
    assert change.changed_by == admin_user and change.note == "重複登録のため"
    assert [m.to for m in mail.outbox] == [["hanako@example.co.jp"]]
    history = admin_client.get(f"/admin/event-registrations/inspect/{first.pk}/").text
    assert "登録済み → 取消 (admin@example.com): 重複登録のため" in history
    assert "— → 登録済み (登録者本人)</li>" in history


def test_admin_sees_a_clear_error_when_the_event_is_full(admin_client, admin_user, full_event):
    first = full_event["first"]
    registration_set_status(registration=first, status="cancelled", by=admin_user)
    registration_create(event=full_event["event"], name="佐藤", email="sato@example.jp", language_code="ja")
    response = admin_client.post(
        f"/admin/event-registrations/edit/{first.pk}/", {"status": "registered", "note": "やはり参加"}
    )
    assert response.status_code == 200
    assert "満席" in response.text
    assert "やはり参加" in response.text  # what staff typed is kept
    first.refresh_from_db()
    assert first.status == "cancelled"


def test_staff_cannot_add_registrations_in_the_admin(admin_client, full_event):
    assert admin_client.get("/admin/event-registrations/new/").status_code in (302, 403)
    assert "/admin/event-registrations/new/" not in admin_client.get("/admin/event-registrations/").text


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        ("ja", "新規参加登録: Jane Doe, ライフサイエンス マッチングデー", "残り1席です。"),
        ("en", "New registration: Jane Doe, Life science matching day", "1 seat left."),
    ],
)
def test_contact_cm_hears_of_registrations_in_their_own_language(
    upcoming_event, django_capture_on_commit_callbacks, language, subject, body
):
    cm = make_person("cm-events", role="project_cm", notification_language=language, email="cm@oi.example.jp")
    event = upcoming_event["ja"]
    event.contact_cm = cm
    event.save_revision().publish()
    english = upcoming_event["en"]
    english.contact_cm = cm
    english.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        # Registered on the English page: the CM still reads the event in their own language.
        registration_create(event=english, name="Jane Doe", email="jane@example.com", language_code="en")
    confirmation, notice = mail.outbox
    assert confirmation.to == ["jane@example.com"]
    assert notice.to == ["cm@oi.example.jp"] and notice.reply_to == ["jane@example.com"]
    assert notice.subject == subject
    assert body in notice.body
    assert "/admin/event-registrations/inspect/" in notice.body
