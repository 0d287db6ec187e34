"""Install the first federation contribution rate in every schema (template included, so
partners cloned from the template have it too): 1 % of turnover since 2000-01-01, at least
what every tier's default charter asks; the admin sets the real rate."""

import datetime
from decimal import Decimal

from django.db import migrations


def install(apps, schema_editor):
    ContributionRate = apps.get_model("partner_settings", "ContributionRate")
    if not ContributionRate.objects.exists():
        ContributionRate.objects.create(
            rate=Decimal("0.0100"),
            effective_from=datetime.date(2000, 1, 1),
            note="Default rate installed by migration.",
        )


class Migration(migrations.Migration):
    dependencies = [("partner_settings", "0003_charter_bounds")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
