"""Abstract bases for status-history rows: who changed a status, when, and why.

Two shapes are in use and both are kept, so that no table changes:

- `TransitionRecord` (membership's MembershipTransition, billing's InvoiceTransition):
  `by`, `at`, `reason`, and `data` for machine details (a Stripe id, an amount).
- `StatusChangeRecord` (the site's event registrations and inquiries): `changed_by`,
  `changed_at` and a short `note`, shown to staff in the admin.

Each concrete model adds the foreign key to what changed and `from_status`/`to_status`
with its own choices. They are abstract, so each app's table is its own: moving them here
from membership changed no migration.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TransitionRecord(models.Model):
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class StatusChangeRecord(models.Model):
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        when = timezone.localtime(self.changed_at).strftime("%Y-%m-%d %H:%M") if self.changed_at else ""
        before = self.get_from_status_display() if self.from_status else "—"
        text = f"{when} {before} → {self.get_to_status_display()} ({self.who()})"
        note = self.note_text()
        return f"{text}: {note}" if note else text

    def who(self) -> str:
        """Who made the change, for the history list."""
        return self.changed_by.email if self.changed_by else "-"

    def note_text(self) -> str:
        return self.note
