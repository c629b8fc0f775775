"""Make sure a demo administrator exists and print how to log in.

The password is generated once and kept in var/demo-admin.txt (not in git), so
a second `make run` keeps both the account and its password.
"""

import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

EMAIL = "admin@kyoso.example.jp"


class Command(BaseCommand):
    help = "Create the demo administrator if missing and print its login."

    def handle(self, *args, **options):
        secret_file = Path(settings.BASE_DIR) / "var" / "demo-admin.txt"
        User = get_user_model()
        user = User.objects.filter(email=EMAIL).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser(email=EMAIL, password=password, first_name="管理者")
            secret_file.parent.mkdir(parents=True, exist_ok=True)
            secret_file.write_text(password + "\n")
        # allauth requires a verified address to log in.
        EmailAddress.objects.update_or_create(user=user, email=EMAIL, defaults={"verified": True, "primary": True})
        password = (
            secret_file.read_text().strip() if secret_file.exists() else "(unchanged; see manage.py changepassword)"
        )
        self.stdout.write(f"Admin login: {EMAIL} / {password}  ({settings.SITE_BASE_URL}/admin/)")
