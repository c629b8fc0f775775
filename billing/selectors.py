"""Reads for screens and checks."""

from django.db.models import Q, QuerySet, Sum

from membership.models import Organization, Seat

from .models import CreditEntry, Invoice, InvoiceStatus


def invoices_for_user(*, user) -> QuerySet[Invoice]:
    """Issued invoices of the organizations the user has a seat in (drafts are never shown)."""
    if user is None or not user.is_authenticated:
        return Invoice.objects.none()
    org_ids = Seat.objects.filter(user=user).values("organization_id")
    return (
        Invoice.objects.filter(organization_id__in=org_ids)
        .exclude(status=InvoiceStatus.DRAFT)
        .annotate(_amount_paid=Sum("payments__amount", default=0))
        .select_related("organization")
    )


def invoice_for_user(*, user, pk: int) -> Invoice | None:
    return invoices_for_user(user=user).filter(pk=pk).first()


def organization_credit_balance(*, organization: Organization) -> int:
    """Yen the organization has paid in excess and not yet used."""
    return CreditEntry.objects.filter(organization=organization).aggregate(s=Sum("amount", default=0))["s"]


def invoices_for_subject(*, subject) -> QuerySet[Invoice]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(subject)
    return Invoice.objects.filter(content_type=ct, object_id=subject.pk)


def open_invoices(*, with_stripe: bool = False) -> QuerySet[Invoice]:
    qs = Invoice.objects.filter(status__in=[InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE])
    return qs.filter(~Q(stripe_invoice_id="")) if with_stripe else qs
