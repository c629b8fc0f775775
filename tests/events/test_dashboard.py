"""The dashboard shows event staff the events to come with their registrations; nobody else."""

import pytest

from tests.dashboard import dashboard_panel, staff_with

pytestmark = pytest.mark.django_db


def test_upcoming_events_are_on_the_event_staffs_dashboard(client, upcoming_event, past_event):
    from events.services import registration_create

    for email, language in (("a@example.jp", "ja"), ("b@example.com", "en")):
        event = upcoming_event[language]
        registration_create(event=event, name="試験", email=email, company="", language_code=language)
    upcoming_event = upcoming_event["ja"]
    staff = staff_with("events.view_eventregistration", email="event@kyoso.example.jp")
    panel = dashboard_panel(client, staff, "kyoso-upcoming-events")
    assert panel is not None and upcoming_event.title in panel and past_event.title not in panel
    assert f"/admin/pages/{upcoming_event.pk}/edit/" in panel
    assert "Life science matching day" not in panel  # one row per event, not per translation
    assert "2名中 2名登録" in panel  # its seats count the registrations of both languages

    other = staff_with("membership.view_membership", email="etsuran@kyoso.example.jp")
    assert dashboard_panel(client, other, "kyoso-upcoming-events") is None
