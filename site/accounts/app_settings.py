"""ACCOUNTS_* settings, each with a default that works on the embedded stack."""

from kyoso_core.app_settings import PrefixedSettings


class AppSettings(PrefixedSettings):
    prefix = "ACCOUNTS_"

    @property
    def MFA_REQUIRED_PATHS(self) -> tuple[str, ...]:
        """Path prefixes of the admins, where staff must have set up two-factor authentication."""
        return tuple(self._setting("MFA_REQUIRED_PATHS", ("/admin/", "/django-admin/")))


app_settings = AppSettings()
