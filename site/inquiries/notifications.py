"""E-mails about inquiries. Plain text only: whatever a sender typed, markup
included, reaches the reader as inert text."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .app_settings import app_settings


def _send(*, template: str, context: dict, to: list[str], reply_to: list[str] | None = None) -> None:
    subject = render_to_string(f"inquiries/email/{template}_subject.txt", context)
    body = render_to_string(f"inquiries/email/{template}.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
    ).send()


def send_inquiry_confirmation(*, inquiry) -> None:
    """To the sender, in the language of the page they wrote from."""
    seed_url = inquiry.seed.get_full_url() if inquiry.seed else ""
    with translation.override(inquiry.language_code):
        _send(
            template="inquiry_confirmation",
            context={"inquiry": inquiry, "seed_url": seed_url},
            to=[inquiry.email],
        )


def send_inquiry_notification(*, inquiry) -> None:
    """To the seed's contact CM in the CM's notification language (or to the
    fallback recipients in the staff language), replying to the sender."""
    cm = getattr(inquiry.seed, "contact_cm", None) if inquiry.seed else None
    if cm is not None and cm.email:
        recipients, language = [cm.email], cm.notification_language
    else:
        recipients, language = app_settings.FALLBACK_RECIPIENTS, app_settings.STAFF_LANGUAGE
    if not recipients:
        return
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    admin_url = base + reverse("inquiries:edit", args=[inquiry.pk])
    with translation.override(language):
        # The seed as the CM reads the site; the sender may have used the other language.
        seed = inquiry.seed.localized if inquiry.seed else None
        _send(
            template="inquiry_notification",
            context={
                "inquiry": inquiry,
                "cm": cm,
                "admin_url": admin_url,
                "seed_title": seed.title if seed is not None else inquiry.seed_title,
                "seed_url": seed.get_full_url() if seed is not None else "",
            },
            to=recipients,
            reply_to=[inquiry.email],
        )
