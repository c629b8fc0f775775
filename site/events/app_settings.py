"""EVENTS_* settings, each with a default that works on the embedded stack."""

from django.conf import settings

from kyoso_core.app_settings import PrefixedSettings


class AppSettings(PrefixedSettings):
    prefix = "EVENTS_"

    @property
    def REGISTRATION_RATE_LIMIT(self) -> tuple[int, int]:
        """Registration attempts allowed per client address: (count, seconds)."""
        return tuple(self._setting("REGISTRATION_RATE_LIMIT", (10, 600)))

    @property
    def NEWS_PER_PAGE(self) -> int:
        return self._setting("NEWS_PER_PAGE", 10)

    @property
    def PER_PAGE(self) -> int:
        """Events per page of the events index."""
        return self._setting("PER_PAGE", 10)

    @property
    def STAFF_LANGUAGE(self) -> str:
        """Language of notices to staff when the event has no contact CM."""
        return self._setting("STAFF_LANGUAGE", settings.LANGUAGE_CODE)

    @property
    def FALLBACK_RECIPIENTS(self) -> list[str]:
        """Who hears of registrations to an event without a contact CM e-mail."""
        return list(self._setting("FALLBACK_RECIPIENTS", []))


app_settings = AppSettings()
