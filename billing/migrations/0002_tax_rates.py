"""Japan's consumption-tax rates as data: 10% standard (the default) and 8% reduced."""

from decimal import Decimal

from django.db import migrations


def add_rates(apps, schema_editor):
    TaxRate = apps.get_model("billing", "TaxRate")
    TaxRate.objects.get_or_create(
        percent=Decimal("10.00"), defaults={"name_ja": "標準税率", "name_en": "Standard rate", "is_default": True}
    )
    TaxRate.objects.get_or_create(
        percent=Decimal("8.00"), defaults={"name_ja": "軽減税率", "name_en": "Reduced rate", "is_default": False}
    )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(add_rates, migrations.RunPython.noop)]
