"""Refuse UPDATE and DELETE of ledger entries in the database too (the ORM already
refuses); the trigger calls public.essaim_immutable_row(), which the template replays."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER members_ledgerentry_immutable
BEFORE UPDATE OR DELETE ON members_ledgerentry
FOR EACH ROW EXECUTE FUNCTION public.essaim_immutable_row();
"""

REVERSE = "DROP TRIGGER IF EXISTS members_ledgerentry_immutable ON members_ledgerentry;"


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("partners", "0003_immutable_row_function"),
    ]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
