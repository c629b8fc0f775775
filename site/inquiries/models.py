"""Inquiries that companies send about research seeds.

Kept with what the partner CRM will need to turn one into its own records:
which seed and language, who wrote, what they agreed to (and the privacy
policy version they saw), where it came from, and who handled it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyoso_core.history import StatusChangeRecord


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class InquirySource(models.TextChoices):
    SEED_PAGE = "seed_page", _("Seed page form")


class Inquiry(models.Model):
    seed = models.ForeignKey(
        "seeds.SeedPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("seed"),
    )
    # The title as the sender saw it, so the inquiry still reads right if the
    # seed is renamed or deleted.
    seed_title = models.CharField(_("seed title"), max_length=255, blank=True)
    language_code = models.CharField(_("language"), max_length=10)
    company = models.CharField(_("company"), max_length=200)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(pgettext_lazy("inquiry", "message"), max_length=4000)
    consent_given_at = models.DateTimeField(_("consent given at"))
    privacy_page = models.ForeignKey(
        "organization.PrivacyPolicyPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy policy page"),
    )
    privacy_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("privacy policy revision"),
        help_text=_("The version of the privacy policy the sender agreed to."),
    )
    source = models.CharField(
        _("source"), max_length=30, choices=InquirySource.choices, default=InquirySource.SEED_PAGE
    )
    status = models.CharField(_("status"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.company} / {self.name} — {self.seed_title}"


class InquiryStatusChange(StatusChangeRecord):
    """History of an inquiry's status: who changed it, when, and why."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("inquiry")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=InquiryStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=InquiryStatus.choices)
    # Not blank, unlike the base: every inquiry change is a staff member's (kept as the
    # table was made, so the shared base changes no schema).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )

    class Meta(StatusChangeRecord.Meta):
        verbose_name = _("inquiry status change")
        verbose_name_plural = _("inquiry status changes")
