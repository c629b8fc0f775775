"""INQUIRIES_* settings, each with a default that works on the embedded stack."""

from django.conf import settings

from kyoso_core.app_settings import PrefixedSettings


class AppSettings(PrefixedSettings):
    prefix = "INQUIRIES_"

    @property
    def RATE_LIMIT(self) -> tuple[int, int]:
        """Inquiry form submissions allowed per client address: (count, seconds)."""
        return tuple(self._setting("RATE_LIMIT", (5, 600)))

    @property
    def STAFF_LANGUAGE(self) -> str:
        """Language of the notification when the seed has no contact CM e-mail (a CM's own preference wins)."""
        return self._setting("STAFF_LANGUAGE", settings.LANGUAGE_CODE)

    @property
    def FALLBACK_RECIPIENTS(self) -> list[str]:
        """Who hears about an inquiry whose seed has no contact CM e-mail."""
        return list(self._setting("FALLBACK_RECIPIENTS", []))


app_settings = AppSettings()
