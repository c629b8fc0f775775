"""Helpers for the admin dashboard's panels (kyoso_core.dashboard)."""

import re

from django.contrib.auth.models import Permission

from tests.accounts.helpers import give_mfa
from tests.membership.factories import UserFactory


def staff_with(*permissions: str, email: str = "staff@kyoso.example.jp"):
    """A member of staff with the admin and `permissions` ("app_label.codename")."""
    user = UserFactory(email=email, is_staff=True)
    wanted = [("wagtailadmin", "access_admin"), *(p.split(".") for p in permissions)]
    for app_label, codename in wanted:
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    give_mfa(user)
    return user


def dashboard_panel(client, user, panel_id: str) -> str | None:
    """The HTML of the dashboard's panel `panel_id` as `user` sees it, or None."""
    client.force_login(user)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    found = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.S)
    return found.group(0) if found else None
