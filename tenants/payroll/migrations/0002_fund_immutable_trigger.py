"""Refuse UPDATE and DELETE of guarantee fund movements in the database too."""

from django.db import migrations

from common.append_only import immutable_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0001_guarantee_fund"),
        ("partners", "0003_immutable_row_function"),
    ]

    operations = [immutable_trigger("payroll_fundmovement")]
