"""The base of every app's `app_settings` (allauth's `AppSettings` pattern): one documented
property per setting, read from Django's settings under the app's prefix when it is asked
for (so tests may change it), with its default stated there and nowhere else."""

from django.conf import settings


class PrefixedSettings:
    prefix = ""

    def _setting(self, name: str, default, *, old_name: str = ""):
        """`<prefix><name>` when it is set; else, for a renamed setting, its old name; else `default`."""
        value = getattr(settings, self.prefix + name, None)
        if value in (None, "") and old_name:
            value = getattr(settings, old_name, None)
        return default if value in (None, "") else value
