"""Refuse UPDATE and DELETE of ledger entries in the database too (the ORM already
refuses); the trigger calls public.essaim_immutable_row(), which the template replays."""

from django.db import migrations

from common.append_only import immutable_trigger


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("partners", "0003_immutable_row_function"),
    ]

    operations = [immutable_trigger("members_ledgerentry")]
