"""Billing for memberships: billing acts for membership, membership never imports billing.

- an approved membership gets its first-term invoice (the prorated fee) and becomes invoiced
  in the approval's own transaction (`billing.integration.BillingMembershipAdapter.on_approve`):
  a membership is never approved without its invoice, and if the invoice cannot be issued
  the approval is rolled back and staff are told why. `billing_reconcile` still invoices
  approvals recorded before this was so;
- a renewal that falls due gets its invoice, once per term (the adapter's `on_renewal_due`);
- a paid membership invoice activates (first term) or renews (later terms) the membership;
- a change of an organization's details reaches its Stripe customer (a listener of
  membership's `organization_updated` announcement, after the change committed).
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation

from membership import services as membership_services
from membership import signals as membership_signals
from membership.fiscal import Term, fiscal_year_of, term_of
from membership.models import Membership, MembershipStatus

from ..models import Invoice, InvoiceStatus
from ..services.invoices import LineSpec, invoice_create_and_issue
from . import register_paid_handler

logger = logging.getLogger(__name__)


def _line(membership: Membership, term: Term, fee: int) -> LineSpec:
    """The fee line for `term`, the months charged: a prorated first term states its months."""
    tier = membership.tier
    months_ja = months_en = ""
    if term.months < 12:
        months_ja = f"（{term.months}か月分）"
        months_en = f" ({term.months} month{'s' if term.months > 1 else ''})"
    with translation.override("ja"):
        ja = f"年会費 {term.label('ja')}（{tier.name_ja}）{term.start:%Y/%m/%d}〜{term.end:%Y/%m/%d}{months_ja}"
    en = (
        f"Annual membership fee {term.label('en')} ({tier.name_en}), "
        f"{term.start:%Y-%m-%d} to {term.end:%Y-%m-%d}{months_en}"
    )
    return LineSpec(description_ja=ja, description_en=en, unit_price=fee)


def _first_term(membership: Membership) -> Term:
    """The months the first invoice charges: the membership's term as approved (from the
    joining month under monthly proration; approvals recorded before that was so start on
    1 April), within its fiscal year."""
    fiscal = term_of(fiscal_year_of(membership.term_start))
    return Term(fiscal.fiscal_year, membership.term_start, membership.term_end or fiscal.end)


def _existing(membership: Membership, period: str) -> Invoice | None:
    ct = ContentType.objects.get_for_model(Membership)
    return (
        Invoice.objects.filter(content_type=ct, object_id=membership.pk, period=period)
        .exclude(status__in=[InvoiceStatus.VOID, InvoiceStatus.UNCOLLECTIBLE])
        .first()
    )


def invoice_first_term(*, membership: Membership, by=None) -> Invoice | None:
    """Issue the invoice for an approved membership's first (possibly prorated) term and mark
    the membership invoiced. Repeatable: an existing invoice is reused, a membership that has
    moved on is left alone."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("tier").get(pk=membership.pk)
        if membership.status not in (MembershipStatus.APPROVED, MembershipStatus.INVOICED):
            return None
        term = _first_term(membership)
        period = str(term.fiscal_year)
        invoice = _existing(membership, period)
        if invoice is None:
            invoice = invoice_create_and_issue(
                organization=membership.organization,
                lines=[_line(membership, term, membership.fee or 0)],
                subject=membership,
                period=period,
                period_dates=(term.start, term.end),
                by=by,
            )
        if membership.status == MembershipStatus.APPROVED:
            membership_services.membership_mark_invoiced(membership=membership, by=by, invoice_number=invoice.number)
    return invoice


def memberships_awaiting_invoice():
    """Approved memberships without their invoice (for billing_reconcile): only approvals
    recorded before invoicing joined the approval's transaction can be in this state."""
    return Membership.objects.filter(status=MembershipStatus.APPROVED)


def invoice_renewal(*, membership: Membership, next_term: Term, fee: int) -> Invoice:
    """Issue the invoice for a membership's next term, once per term (an existing one is reused)."""
    period = str(next_term.fiscal_year)
    invoice = _existing(membership, period)
    if invoice is None:
        invoice = invoice_create_and_issue(
            organization=membership.organization,
            lines=[_line(membership, next_term, fee)],
            subject=membership,
            period=period,
            period_dates=(next_term.start, next_term.end),
        )
    return invoice


def on_invoice_paid(*, invoice: Invoice, by=None) -> None:
    """A membership invoice was paid (in the payment's transaction): activate or renew."""
    membership = Membership.objects.select_for_update().get(pk=invoice.object_id)
    reason = f"invoice {invoice.number} paid"
    if membership.status == MembershipStatus.INVOICED:
        membership_services.membership_activate(membership=membership, by=by, reason=reason)
    elif membership.status in (MembershipStatus.ACTIVE, MembershipStatus.GRACE) and invoice.period.isdigit():
        term = term_of(int(invoice.period))
        if membership.term_end is None or term.end > membership.term_end:
            membership_services.membership_renew(membership=membership, term=term, by=by, reason=reason)


# What the Stripe customer carries (billing.providers.stripe.StripeProvider.customer_params).
CUSTOMER_FIELDS = {
    "legal_name",
    "name_en",
    "country",
    "postal_code",
    "address",
    "billing_contact_name",
    "billing_contact_department",
    "billing_contact_email",
    "billing_contact_phone",
    "corporate_number",
    "invoice_registration_number",
}


def on_organization_updated(sender, organization, changed, **kwargs) -> None:
    """Bring the Stripe customer in step, in the background (announced after the change committed)."""
    from ..customer_tasks import sync_stripe_customer
    from ..models import BillingCustomer
    from ..providers import get_provider

    if not CUSTOMER_FIELDS & set(changed) or not get_provider().keeps_customers:
        return
    # Marked before the sync is queued: if the sync fails (or the worker never runs it),
    # staff see the customer as pending, and billing_reconcile sends the change (it also
    # finds changes never marked, by comparing what was last sent). The latest change's
    # time, so a sync that read the organization before it cannot clear the mark.
    marked = (
        BillingCustomer.objects.filter(organization=organization)
        .exclude(stripe_customer_id="")
        .update(sync_pending_since=timezone.now())
    )
    if not marked:
        return
    pk = organization.pk
    transaction.on_commit(lambda: sync_stripe_customer.enqueue(pk))


def connect() -> None:
    membership_signals.organization_updated.connect(
        on_organization_updated, dispatch_uid="billing.organization_updated"
    )
    register_paid_handler(Membership, on_invoice_paid)
