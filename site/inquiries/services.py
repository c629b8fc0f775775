"""Everything that changes inquiries."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .models import Inquiry, InquirySource, InquiryStatus, InquiryStatusChange
from .notifications import send_inquiry_confirmation, send_inquiry_notification
from .signals import inquiry_received


class InquiryTransitionError(Exception):
    pass


def inquiry_submit(
    *,
    seed: Page,
    language_code: str,
    company: str,
    name: str,
    email: str,
    phone: str,
    message: str,
    privacy_page: Page | None,
    source: str = InquirySource.SEED_PAGE,
) -> Inquiry:
    """Store an inquiry with the consent given now; once committed, e-mail the
    sender and the seed's contact CM and announce `inquiry_received`."""
    with transaction.atomic():
        inquiry = Inquiry(
            seed=seed,
            seed_title=seed.title,
            language_code=language_code,
            company=company,
            name=name,
            email=email.strip(),
            phone=phone,
            message=message,
            consent_given_at=timezone.now(),
            privacy_page=privacy_page,
            privacy_revision=privacy_page.live_revision if privacy_page is not None else None,
            source=source,
        )
        inquiry.full_clean()
        inquiry.save()

        def after_commit() -> None:
            send_inquiry_confirmation(inquiry=inquiry)
            send_inquiry_notification(inquiry=inquiry)
            inquiry_received.send(sender=Inquiry, inquiry=inquiry)

        transaction.on_commit(after_commit)
    return inquiry


ALLOWED = {
    InquiryStatus.NEW: {InquiryStatus.ANSWERED, InquiryStatus.CLOSED},
    InquiryStatus.ANSWERED: {InquiryStatus.NEW, InquiryStatus.CLOSED},
    InquiryStatus.CLOSED: {InquiryStatus.NEW},
}


def inquiry_set_status(*, inquiry: Inquiry, status: str, by, note: str = "") -> Inquiry:
    """Move an inquiry to `status`, recording who did it, when and why."""
    with transaction.atomic():
        locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if locked.status == status:
            return locked
        if status not in ALLOWED[InquiryStatus(locked.status)]:
            raise InquiryTransitionError(
                _("An inquiry cannot go from %(from)s to %(to)s.")
                % {"from": locked.get_status_display(), "to": InquiryStatus(status).label}
            )
        InquiryStatusChange.objects.create(
            inquiry=locked, from_status=locked.status, to_status=status, changed_by=by, note=note
        )
        locked.status = status
        locked.handled_by = by
        locked.handled_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["status", "handled_by", "handled_at", "updated_at"])
    return locked
