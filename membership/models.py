"""Member organizations, tiers and memberships: data and invariants only.

State changes go through membership.services; nothing else writes
`Membership.status`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kyoso_core.history import TransitionRecord, define_reason

from .fields import IdentifierField, TypedNumberField
from .validators import validate_corporate_number, validate_registration_number


class Tier(models.Model):
    """A membership tier with its annual fee and entitlements (staff-editable)."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    annual_fee = models.PositiveIntegerField(_("annual fee (yen, excluding consumption tax)"))
    seats = models.PositiveIntegerField(_("seats"), default=5)
    benefits_ja = models.TextField(_("benefits (Japanese)"), blank=True)
    benefits_en = models.TextField(_("benefits (English)"), blank=True)
    # Entitlements
    members_only_seed_details = models.BooleanField(_("members-only seed details"), default=True)
    consortium_eligible = models.BooleanField(_("may join consortia"), default=False)
    consortium_fee_discount_percent = models.PositiveSmallIntegerField(_("consortium fee discount (%)"), default=0)
    event_tickets = models.PositiveSmallIntegerField(_("event tickets per year"), default=0)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "annual_fee"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name_ja

    @property
    def benefits(self) -> str:
        return self.benefits_en if (get_language() or "ja").startswith("en") else self.benefits_ja


class Industry(models.TextChoices):
    """Divisions of the Japan Standard Industrial Classification (JSIC, rev. 14)."""

    A = "A", _("Agriculture and forestry")
    B = "B", _("Fisheries")
    C = "C", _("Mining and quarrying of stone and gravel")
    D = "D", _("Construction")
    E = "E", _("Manufacturing")
    F = "F", _("Electricity, gas, heat supply and water")
    G = "G", _("Information and communications")
    H = "H", _("Transport and postal activities")
    I = "I", _("Wholesale and retail trade")  # noqa: E741
    J = "J", _("Finance and insurance")
    K = "K", _("Real estate and goods rental and leasing")
    L = "L", _("Scientific research, professional and technical services")
    M = "M", _("Accommodations, eating and drinking services")
    N = "N", _("Living-related and personal services and amusement services")
    O = "O", _("Education, learning support")  # noqa: E741
    P = "P", _("Medical, health care and welfare")
    Q = "Q", _("Compound services")
    R = "R", _("Services, not elsewhere classified")
    S = "S", _("Government, except elsewhere classified")
    T = "T", _("Industries unable to classify")


class SizeBand(models.TextChoices):
    SMALL = "1-99", _("1–99 employees")
    MEDIUM = "100-999", _("100–999 employees")
    LARGE = "1000-9999", _("1,000–9,999 employees")
    HUGE = "10000+", _("10,000 or more employees")


class Organization(models.Model):
    """A member organization (法人)."""

    legal_name = models.CharField(_("legal name (Japanese)"), max_length=200)
    legal_name_kana = models.CharField(_("legal name (kana reading)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    corporate_number = IdentifierField(
        _("corporate number (法人番号)"),
        max_length=13,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_corporate_number],
        help_text=_("13 digits. Optional for foreign companies."),
    )
    invoice_registration_number = IdentifierField(
        _("qualified-invoice registration number"),
        max_length=14,
        blank=True,
        validators=[validate_registration_number],
        help_text=_("T followed by 13 digits, if registered."),
    )
    country = models.CharField(_("country (ISO code)"), max_length=2, default="JP")
    postal_code = TypedNumberField(_("postal code"), max_length=16, blank=True)
    address = models.CharField(_("address"), max_length=300)
    industry = models.CharField(_("industry (JSIC division)"), max_length=1, choices=Industry.choices)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices)
    website = models.URLField(_("website"), blank=True)
    billing_contact_name = models.CharField(_("billing contact name"), max_length=100)
    billing_contact_department = models.CharField(_("billing contact department"), max_length=100, blank=True)
    billing_contact_email = models.EmailField(_("billing contact e-mail"))
    billing_contact_phone = TypedNumberField(_("billing contact phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("member organization")
        verbose_name_plural = _("member organizations")

    def __str__(self) -> str:
        return self.legal_name

    @property
    def is_foreign(self) -> bool:
        return self.country.upper() != "JP"

    @property
    def display_name(self) -> str:
        if (get_language() or "ja").startswith("en") and self.name_en:
            return self.name_en
        return self.legal_name


class SeatRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class Seat(models.Model):
    """A user's place in an organization. A user belongs to at most one organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="seats", verbose_name=_("organization")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_seat", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=SeatRole.choices, default=SeatRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=models.Q(role="owner"), name="membership_one_owner_per_organization"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"


class MembershipStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("Screening")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    INVOICED = "invoiced", _("Invoiced")
    ACTIVE = "active", _("Active")
    GRACE = "grace", _("Grace period")
    LAPSED = "lapsed", _("Lapsed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = ("applied", "screening", "approved", "invoiced", "active", "grace")
ENTITLED_STATUSES = ("active", "grace")


class Membership(models.Model):
    """An organization's membership at a tier, renewed term by term (fiscal years)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organization")
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("tier"))
    status = models.CharField(
        _("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.APPLIED, editable=False
    )
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    fee = models.PositiveIntegerField(_("fee for this term (yen, excluding tax)"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    # The language the applicant used: decisions and reminders are written in it.
    language = models.CharField(_("language"), max_length=8, default="ja")
    # A tier change the member asked for; it takes effect with the next term.
    next_tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tier from next term")
    )

    class Meta:
        ordering = ["-applied_at"]
        constraints = [
            # One open membership per organization; closed ones stay as history.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="membership_one_open_per_organization",
            )
        ]
        permissions = [
            ("decide_membership", _("Can screen, approve and reject membership applications")),
            ("record_export_control", _("Can record the export-control check")),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.organization} — {self.tier} ({self.get_status_display()})"


REASON_INVOICED = define_reason("membership.invoiced", _("invoice %(number)s issued"))
REASON_TERM_ENDED_UNPAID = define_reason("membership.term_ended_unpaid", _("the term ended unpaid"))
REASON_GRACE_ENDED_UNPAID = define_reason("membership.grace_ended_unpaid", _("the grace period ended unpaid"))


class MembershipTransition(TransitionRecord):
    """One recorded state change: who, when, why."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("membership")
    )
    from_status = models.CharField(
        max_length=12, choices=MembershipStatus.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=12, choices=MembershipStatus.choices, verbose_name=_("to status"))

    class Meta(TransitionRecord.Meta):
        verbose_name = _("membership transition")
        verbose_name_plural = _("membership transitions")


class Invitation(models.Model):
    """An e-mailed invitation to take a seat. The link carries a signed token of its pk
    (see services.invitation_token); it expires and works once."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organization")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=SeatRole.choices, default=SeatRole.MEMBER)
    language = models.CharField(_("language"), max_length=8, default="ja")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class CheckKind(models.TextChoices):
    CONFLICT_OF_INTEREST = "coi", _("Conflict of interest (利益相反)")
    EXPORT_CONTROL = "export", _("Export control (安全保障貿易管理)")


class CheckResult(models.TextChoices):
    CLEAR = "clear", _("Clear")
    CONCERN = "concern", _("Concern found")


class ScreeningCheck(models.Model):
    """One screening check on an application: who recorded it, when, the result and a note."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="checks", verbose_name=_("membership")
    )
    kind = models.CharField(_("check"), max_length=10, choices=CheckKind.choices)
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("screening check")
        verbose_name_plural = _("screening checks")
        constraints = [models.UniqueConstraint(fields=["membership", "kind"], name="membership_one_check_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_result_display()}"


class MembershipNotice(models.Model):
    """A once-per-term notice already sent (renewal reminders, renewal due), so the daily
    job can run any number of times without sending anything twice."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="notices", verbose_name=_("membership")
    )
    kind = models.CharField(max_length=20, verbose_name=_("kind"))
    term_end = models.DateField(verbose_name=_("term end"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind", "term_end"], name="membership_notice_once_per_term")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.term_end}"


class MembershipTerms(models.Model):
    """One version of the membership terms (会員規約), in Japanese and English. The version in
    force is the newest whose effective date has come; a version someone accepted never changes
    (a change of wording is a new version), and each language's text is kept with its SHA-256."""

    version = models.CharField(_("version"), max_length=20, unique=True, help_text=_("For example 2026-04."))
    effective_on = models.DateField(_("effective from"))
    body_ja = models.TextField(_("text (Japanese)"))
    body_en = models.TextField(_("text (English)"))
    sha256_ja = models.CharField(_("SHA-256 of the Japanese text"), max_length=64, editable=False)
    sha256_en = models.CharField(_("SHA-256 of the English text"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("membership terms")
        verbose_name_plural = _("membership terms")

    def __str__(self) -> str:
        return f"{_('Membership terms')} {self.version}"

    def save(self, *args, **kwargs):
        import hashlib

        self.sha256_ja = hashlib.sha256(self.body_ja.encode()).hexdigest()
        self.sha256_en = hashlib.sha256(self.body_en.encode()).hexdigest()
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.pk and self.acceptances.exists():
            stored = MembershipTerms.objects.get(pk=self.pk)
            if (stored.body_ja, stored.body_en, stored.version) != (self.body_ja, self.body_en, self.version):
                raise ValidationError(
                    _("Applicants have accepted this version, so its text cannot change. Add a new version instead.")
                )

    @property
    def body(self) -> str:
        return self.body_en if (get_language() or "ja").startswith("en") else self.body_ja

    def sha256(self, language: str) -> str:
        return self.sha256_en if language.startswith("en") else self.sha256_ja


class TermsAcceptance(models.Model):
    """Who accepted which version of the terms, when, in which language, for which application."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="terms_acceptances", verbose_name=_("membership")
    )
    terms = models.ForeignKey(
        MembershipTerms, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("terms")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=8)
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")

    def __str__(self) -> str:
        return f"{self.terms} — {self.user}"
