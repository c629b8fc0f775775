"""Membership adapters of a site's own, for tests."""

from django.core.exceptions import ValidationError

from membership.adapter import DefaultMembershipAdapter
from membership.models import Membership


class RefusingAdapter(DefaultMembershipAdapter):
    def on_approve(self, *, membership, by=None):
        raise ValidationError("not today", code="refused")


class RecordingAdapter(DefaultMembershipAdapter):
    approved: list[tuple[int, str, int | None]] = []

    def on_approve(self, *, membership, by=None):
        # Read from the database: the approval is written (not yet committed) when it is called.
        status = Membership.objects.get(pk=membership.pk).status
        self.approved.append((membership.pk, status, getattr(by, "pk", None)))
