"""Wagtail's admin speaks each user's language from their first visit.

Wagtail reads the admin language from the user's profile and, while that is
empty, from the request (the browser's Accept-Language): a Japanese member of
staff whose browser asks for English got an English admin. A new account's
profile records the language the account was made in (the site language it
signed up in; Japanese, LANGUAGE_CODE, for accounts made by a command). The
user changes it in the admin's account settings.
"""

from django.conf import settings
from django.utils.translation import get_language
from wagtail.admin.localization import get_available_admin_languages
from wagtail.users.models import UserProfile


def set_admin_language(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    permitted = dict(get_available_admin_languages())
    language = (get_language() or "").split("-")[0]
    if language not in permitted:
        language = settings.LANGUAGE_CODE
    profile = UserProfile.get_for_user(instance)
    if not profile.preferred_language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
