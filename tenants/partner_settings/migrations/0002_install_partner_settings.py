"""Install the settings row and the first fee rate in every schema (template included, so
partners cloned from the template have them too)."""

import datetime
from decimal import Decimal

from django.db import migrations


def install(apps, schema_editor):
    PartnerSettings = apps.get_model("partner_settings", "PartnerSettings")
    FeeRate = apps.get_model("partner_settings", "FeeRate")
    PartnerSettings.objects.get_or_create(pk=1)
    if not FeeRate.objects.exists():
        # In force since before any partner's first invoice; the admin sets the real rate.
        FeeRate.objects.create(
            rate=Decimal("0.0700"),
            effective_from=datetime.date(2000, 1, 1),
            note="Default rate installed by migration.",
        )


class Migration(migrations.Migration):
    dependencies = [("partner_settings", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
