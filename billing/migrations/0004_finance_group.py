"""The 財務CM group runs billing: it records transfers, voids invoices or marks them
uncollectible, issues credit notes and retries failed webhook events. Other staff groups
see nothing of billing (amounts owed by companies are the finance role's business)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FINANCE = [
    "view_invoice",
    "change_invoice",
    "view_payment",
    "add_payment",
    "view_creditnote",
    "add_creditnote",
    "view_creditentry",
    "view_webhookevent",
    "change_webhookevent",
    "view_taxrate",
]


def grant(apps, schema_editor):
    # Permissions are normally made after migrations; make billing's now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="財務CM")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="billing", codename__in=FINANCE))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="財務CM").first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="billing", codename__in=FINANCE))


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_credit_note_settlement_customer_sync"),
        ("membership", "0005_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
