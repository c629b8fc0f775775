"""MEMBERSHIP_* settings, each with a default that works on the embedded stack."""

from django.conf import settings

from kyoso_core.app_settings import PrefixedSettings


class AppSettings(PrefixedSettings):
    prefix = "MEMBERSHIP_"

    @property
    def PRORATION(self) -> str:
        """How a mid-year join is charged: "monthly" (remaining months incl. the current one) or "full"."""
        return self._setting("PRORATION", "monthly")

    @property
    def GRACE_DAYS(self) -> int:
        """Days after the term's end before an unpaid renewal lapses."""
        return self._setting("GRACE_DAYS", 30)

    @property
    def RENEWAL_REMINDER_DAYS(self) -> tuple[int, ...]:
        """Days before the term's end on which renewal reminders go out."""
        return tuple(self._setting("RENEWAL_REMINDER_DAYS", (60, 30, 7)))

    @property
    def INVITATION_MAX_AGE_DAYS(self) -> int:
        """Days an invitation to a seat stays valid."""
        return self._setting("INVITATION_MAX_AGE_DAYS", 7)

    @property
    def SITE_URL(self) -> str:
        """Scheme and host for links in e-mails (no trailing slash): the site's one public base
        URL, `SITE_BASE_URL`; in a host site without it, Wagtail's `WAGTAILADMIN_BASE_URL`."""
        base = getattr(settings, "SITE_BASE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
        return base.rstrip("/")

    @property
    def ADAPTER(self) -> str:
        """Dotted path to the `membership.adapter.DefaultMembershipAdapter` subclass that
        membership calls at its steps (billing's: "billing.integration.BillingMembershipAdapter")."""
        return self._setting("ADAPTER", "membership.adapter.DefaultMembershipAdapter")

    @property
    def SEATS_WITHOUT_MEMBERSHIP(self) -> int:
        """Seats an organization may fill before it has a membership at a tier."""
        return self._setting("SEATS_WITHOUT_MEMBERSHIP", 3)


app_settings = AppSettings()
