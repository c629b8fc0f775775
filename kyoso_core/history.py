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

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

# Reasons the system writes rather than a person ("invoice 2026-000003 issued"), by key:
# a row stores the key and its values in `data` and shows the message in the reader's
# language; `reason` keeps the English wording for exports and listeners.
SYSTEM_REASONS: dict[str, object] = {}


def define_reason(key: str, message) -> str:
    """Register a system reason's message (a lazy translation with %(name)s values)."""
    SYSTEM_REASONS[key] = message
    return key


@dataclass(frozen=True)
class SystemReason:
    key: str
    values: dict = field(default_factory=dict)

    def english(self) -> str:
        with translation.override("en"):
            return str(SYSTEM_REASONS[self.key]) % self.values

    def as_data(self) -> dict:
        return {"reason_key": self.key, "reason_values": self.values}


def split_reason(reason, data: dict | None) -> tuple[str, dict]:
    """(reason text, data) for a row, from a typed reason or a SystemReason."""
    data = dict(data or {})
    if isinstance(reason, SystemReason):
        return reason.english(), {**data, **reason.as_data()}
    return reason, data


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

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: a system reason's message, or what a person typed."""
        data = self.data if isinstance(self.data, dict) else {}
        message = SYSTEM_REASONS.get(data.get("reason_key"))
        if message is None:
            return self.reason
        try:
            return str(message) % (data.get("reason_values") or {})
        except (KeyError, TypeError, ValueError):
            return self.reason


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
