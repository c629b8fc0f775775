"""The legal staff (法務CM) keep the membership terms; the CMs who decide applications see who accepted which version."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "法務CM": ["add_membershipterms", "change_membershipterms", "view_membershipterms", "view_termsacceptance"],
    "統括CM": ["view_membershipterms", "view_termsacceptance"],
    "閲覧スタッフ": ["view_membershipterms"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="membership", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("membership", "0007_membership_terms")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
