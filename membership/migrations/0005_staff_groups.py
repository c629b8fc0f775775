"""Staff groups, each with what its role needs (DESIGN.md: the creative managers).

Only 法務CM may record the export-control check; 統括CM and 法務CM decide
applications; 財務CM keeps the tiers (fees); everyone else reads."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_organization", "view_membership", "view_tier"]
GROUPS = {
    "統括CM": VIEW + ["decide_membership", "change_organization"],
    "財務CM": VIEW + ["add_tier", "change_tier", "change_organization"],
    "法務CM": VIEW + ["decide_membership", "record_export_control"],
    "プロジェクトCM": VIEW,
    "閲覧スタッフ": VIEW,
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrations; make this app's now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="membership", codename__in=codenames)
        group.permissions.add(access_admin, *perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0004_permissions"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
