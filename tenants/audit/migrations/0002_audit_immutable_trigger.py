"""Refuse UPDATE and DELETE of audit rows in the database too (the ORM already refuses)."""

from django.db import migrations

from common.append_only import immutable_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("partners", "0003_immutable_row_function"),
    ]

    operations = [immutable_trigger("audit_auditentry")]
