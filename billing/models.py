"""Invoices in integer yen, their payments, credit notes and credit balances: data only.

State changes go through billing.services; nothing else writes `Invoice.status`.
"""

import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from kyoso_core.history import TransitionRecord, define_reason
from membership.fields import IdentifierField
from membership.models import Organization
from membership.validators import validate_registration_number


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


class TaxRate(models.Model):
    """A consumption-tax rate. Rates are data, so a change of law is a new row, not a deploy."""

    name_ja = models.CharField(_("name (Japanese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)
    percent = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    is_default = models.BooleanField(_("default rate"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-percent"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")

    def __str__(self) -> str:
        return f"{self.name} ({self.percent_display})"

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_ja

    @property
    def percent_display(self) -> str:
        return f"{self.percent.normalize():f}%"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")
    UNCOLLECTIBLE = "uncollectible", _("Uncollectible")


class InvoiceCounter(models.Model):
    """The last invoice number used in a fiscal year; its row is locked while a number is taken."""

    fiscal_year = models.PositiveIntegerField(primary_key=True, verbose_name=_("fiscal year"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.last_number}"


class Invoice(models.Model):
    """A qualified invoice (適格請求書) to a member organization for one subject.

    The subject (a membership term, a consortium participation, …) is generic; `period`
    tells terms of the same subject apart so each term is charged once.
    """

    number = models.CharField(_("invoice number"), max_length=20, unique=True, null=True, blank=True, editable=False)
    fiscal_year = models.PositiveIntegerField(_("fiscal year"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=15, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT, editable=False
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("organization")
    )
    # The subject charged for
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("object id"))
    subject = GenericForeignKey("content_type", "object_id")
    period = models.CharField(_("period"), max_length=20, blank=True, help_text=_("e.g. the fiscal year charged"))
    # The period the charge covers, printed on the invoice and the receipt (a prorated
    # first term covers the months charged, not its whole fiscal year).
    period_start = models.DateField(_("period supplied from"), null=True, blank=True)
    period_end = models.DateField(_("period supplied to"), null=True, blank=True)
    # Snapshots taken at issue: an invoice keeps saying what it said when it was sent.
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    recipient_name_en = models.CharField(_("recipient (English)"), max_length=200, blank=True)
    recipient_address = models.CharField(_("recipient address"), max_length=320, blank=True)
    recipient_registration_number = models.CharField(_("recipient registration number"), max_length=14, blank=True)
    issuer_name = models.CharField(_("issuer"), max_length=200, blank=True)
    issuer_name_en = models.CharField(_("issuer (English)"), max_length=200, blank=True)
    issuer_registration_number = models.CharField(_("issuer registration number"), max_length=14, blank=True)
    issuer_address = models.CharField(_("issuer address"), max_length=320, blank=True)
    # Dates and amounts (integer yen), fixed at issue
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    subtotal = models.PositiveBigIntegerField(_("subtotal (excl. tax)"), default=0)
    tax_total = models.PositiveBigIntegerField(_("consumption tax"), default=0)
    total = models.PositiveBigIntegerField(_("total (incl. tax)"), default=0)
    tax_breakdown = models.JSONField(_("totals per tax rate"), default=list, blank=True, editable=False)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True, editable=False)
    # Stripe, when it is used
    stripe_invoice_id = models.CharField(max_length=255, blank=True, db_index=True, verbose_name=_("stripe invoice id"))
    stripe_hosted_url = models.URLField(max_length=1000, blank=True, verbose_name=_("stripe hosted url"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "period"],
                condition=~Q(status__in=["void", "uncollectible"]) & Q(content_type__isnull=False),
                name="billing_one_live_invoice_per_subject_period",
            )
        ]

    def __str__(self) -> str:
        return self.number or _("Draft invoice %(pk)s") % {"pk": self.pk}

    @property
    def display_recipient(self) -> str:
        return (self.recipient_name_en or self.recipient_name) if _english() else self.recipient_name

    @property
    def display_issuer(self) -> str:
        return (self.issuer_name_en or self.issuer_name) if _english() else self.issuer_name

    @property
    def amount_paid(self) -> int:
        """Money received against this invoice, refunds not subtracted."""
        if hasattr(self, "_amount_paid"):
            return self._amount_paid
        return self.payments.aggregate(s=Sum("amount"))["s"] or 0

    @property
    def amount_due(self) -> int:
        if self.status != InvoiceStatus.OPEN:
            return 0
        return max(self.total - self.amount_paid, 0)

    @property
    def partly_paid(self) -> bool:
        """Open, with some but not all of the total received."""
        return self.status == InvoiceStatus.OPEN and 0 < self.amount_paid < self.total

    @property
    def status_label(self) -> str:
        """The status as people read it: an open invoice with a part payment is partly paid."""
        if self.partly_paid:
            return str(_("Partly paid"))
        return self.get_status_display()

    @property
    def status_css(self) -> str:
        return "partly-paid" if self.partly_paid else self.status

    @property
    def amount_credited(self) -> int:
        return self.credit_notes.aggregate(s=Sum("total"))["s"] or 0


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice"))
    description_ja = models.CharField(_("description (Japanese)"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    unit_price = models.PositiveBigIntegerField(_("unit price (yen, excl. tax)"))
    tax_rate = models.ForeignKey(TaxRate, on_delete=models.PROTECT, related_name="+", verbose_name=_("tax rate"))
    sort_order = models.PositiveSmallIntegerField(default=0, verbose_name=_("sort order"))

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return self.description

    @property
    def description(self) -> str:
        return self.description_en if _english() else self.description_ja

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


REASON_PAID_IN_FULL = define_reason("billing.paid_in_full", _("paid in full"))
REASON_PARTIAL_PAYMENT = define_reason("billing.partial_payment", _("partial payment"))
REASON_VOIDED_AT_STRIPE = define_reason("billing.voided_at_stripe", _("voided at Stripe"))
REASON_UNCOLLECTIBLE_AT_STRIPE = define_reason("billing.uncollectible_at_stripe", _("marked uncollectible at Stripe"))
REASON_PAYMENT_FAILED_AT_STRIPE = define_reason("billing.payment_failed_at_stripe", _("payment failed at Stripe"))
REASON_CHECKOUT_FAILED = define_reason("billing.checkout_failed", _("Checkout payment failed"))
REASON_CREDIT_NOTE = define_reason("billing.credit_note", _("credit note %(number)s"))
REASON_CREDIT_NOTE_WHY = define_reason("billing.credit_note_why", _("credit note %(number)s: %(reason)s"))


class InvoiceTransition(TransitionRecord):
    """One recorded step in an invoice's life: who, when, why (also notes like a failed card payment)."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("invoice")
    )
    from_status = models.CharField(
        max_length=15, choices=InvoiceStatus.choices, blank=True, verbose_name=_("from status")
    )
    to_status = models.CharField(max_length=15, choices=InvoiceStatus.choices, verbose_name=_("to status"))

    class Meta(TransitionRecord.Meta):
        verbose_name = _("invoice transition")
        verbose_name_plural = _("invoice transitions")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    STRIPE = "stripe", _("Stripe")
    CREDIT = "credit", _("Credit balance")


class Payment(models.Model):
    """Money received for an invoice. The provider reference is unique, so a payment is never counted twice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice"))
    amount = models.PositiveBigIntegerField(_("amount (yen)"), validators=[MinValueValidator(1)])
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    provider_reference = models.CharField(_("provider reference"), max_length=255, unique=True)
    received_at = models.DateTimeField(_("received at"))
    payer_name = models.CharField(_("payer name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"¥{self.amount:,} ({self.get_method_display()})"


class CreditNoteSettlement(models.TextChoices):
    """How the money a credit note returns reaches the member."""

    BANK_REFUND = "bank_refund", _("Refunded by bank transfer")
    STRIPE_REFUND = "stripe_refund", _("Refunded through Stripe")
    CREDIT = "credit", _("Kept as credit balance")


class CreditNote(models.Model):
    """A qualified return invoice (適格返還請求書) for a refund or a reduction of a paid invoice.

    `breakdown` holds the amounts per tax rate (rate_id, percent, subtotal, tax, total);
    notes written before it existed have one rate only, `tax_rate`, and an empty breakdown.
    Written only by `billing.services.credit_notes.credit_note_issue`.
    """

    number = models.CharField(_("credit note number"), max_length=24, unique=True, editable=False)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", verbose_name=_("invoice")
    )
    tax_rate = models.ForeignKey(TaxRate, on_delete=models.PROTECT, related_name="+", verbose_name=_("tax rate"))
    subtotal = models.PositiveBigIntegerField(_("amount returned (excl. tax)"))
    tax = models.PositiveBigIntegerField(_("tax returned"))
    total = models.PositiveBigIntegerField(_("total returned (incl. tax)"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    issue_date = models.DateField(_("issue date"))
    provider_reference = models.CharField(_("provider reference"), max_length=255, unique=True)
    # Stripe refund ids this note covers, so charge.refunded and credit_note.created do not both count one refund.
    refund_ids = models.JSONField(default=list, blank=True, verbose_name=_("refund ids"))
    settlement = models.CharField(_("settlement"), max_length=20, choices=CreditNoteSettlement.choices, blank=True)
    breakdown = models.JSONField(_("amounts per tax rate"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")

    def __str__(self) -> str:
        return self.number

    @property
    def rows(self) -> list[dict]:
        """What is returned per tax rate: the breakdown, or the one rate of an older note."""
        if self.breakdown:
            return self.breakdown
        return [
            {
                "rate_id": self.tax_rate_id,
                "percent": str(self.tax_rate.percent),
                "subtotal": self.subtotal,
                "tax": self.tax,
                "total": self.total,
            }
        ]


class CreditEntry(models.Model):
    """A line in an organization's credit ledger: overpayments in (+), credit used (−). Never deleted."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="credit_entries", verbose_name=_("organization")
    )
    amount = models.BigIntegerField(_("amount (yen)"))
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("invoice")
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("payment")
    )
    reason = models.CharField(_("reason"), max_length=300)
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")

    def __str__(self) -> str:
        return f"{self.organization}: {self.amount:+,}"


class BillingCustomer(models.Model):
    """Where an organization lives at a payment provider (its Stripe customer)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="billing_customer", verbose_name=_("organization")
    )
    stripe_customer_id = models.CharField(max_length=255, blank=True, verbose_name=_("stripe customer id"))
    synced_at = models.DateTimeField(null=True, blank=True, verbose_name=_("synced at"))
    # What was last sent (a hash of it) and how many updates went out: an unchanged
    # organization is not sent again, and each new update gets its own idempotency key.
    synced_hash = models.CharField(max_length=64, blank=True, verbose_name=_("synced hash"))
    sync_count = models.PositiveIntegerField(default=0, verbose_name=_("sync count"))
    # Set in the transaction that changes the organization, cleared only by a sync that
    # began after it: a sync that failed (Stripe down) leaves it for billing_reconcile.
    sync_pending_since = models.DateTimeField(_("changes waiting to be sent since"), null=True, blank=True)
    sync_error = models.CharField(_("last sync error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("billing customer")
        verbose_name_plural = _("billing customers")

    def __str__(self) -> str:
        return self.stripe_customer_id or str(self.organization)


class WebhookEventStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    FAILED = "failed", _("Failed")


class WebhookEvent(models.Model):
    """A verified event from a payment provider, stored once by its id."""

    provider = models.CharField(max_length=20, default="stripe", verbose_name=_("provider"))
    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100, db_index=True)
    # The body exactly as the provider signed it (not the parsed JSON written out again):
    # what was verified is what is kept, and the ack does no JSON encoding.
    body = models.TextField(_("body as received"))
    status = models.CharField(
        _("status"), max_length=12, choices=WebhookEventStatus.choices, default=WebhookEventStatus.RECEIVED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"

    @cached_property
    def payload(self) -> dict:
        return json.loads(self.body)


@register_setting(icon="doc-full")
class IssuerSettings(BaseSiteSetting):
    """Who issues the invoices: what a qualified invoice must name, and where to transfer money."""

    legal_name = models.CharField(_("legal name (Japanese)"), max_length=200, blank=True)
    legal_name_en = models.CharField(_("legal name (English)"), max_length=200, blank=True)
    registration_number = IdentifierField(
        _("qualified-invoice registration number"),
        max_length=14,
        blank=True,
        validators=[validate_registration_number],
        help_text=_("T followed by 13 digits."),
    )
    address = models.CharField(_("address (Japanese)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    department = models.CharField(_("billing department (Japanese)"), max_length=200, blank=True)
    department_en = models.CharField(_("billing department (English)"), max_length=200, blank=True)
    bank_account = models.TextField(
        _("bank account for transfers (Japanese)"),
        blank=True,
        help_text=_("Bank, branch, type, number, holder (kana)."),
    )
    bank_account_en = models.TextField(_("bank account for transfers (English)"), blank=True)
    footer = models.TextField(_("invoice footer (Japanese)"), blank=True)
    footer_en = models.TextField(_("invoice footer (English)"), blank=True)

    class Meta:
        verbose_name = _("invoice issuer")

    def text(self, field: str) -> str:
        if _english():
            return getattr(self, f"{field}_en", "") or getattr(self, field)
        return getattr(self, field)
