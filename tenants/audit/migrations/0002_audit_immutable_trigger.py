"""Refuse UPDATE and DELETE of audit rows in the database too (the ORM already refuses)."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER audit_auditentry_immutable
BEFORE UPDATE OR DELETE ON audit_auditentry
FOR EACH ROW EXECUTE FUNCTION public.essaim_immutable_row();
"""

REVERSE = "DROP TRIGGER IF EXISTS audit_auditentry_immutable ON audit_auditentry;"


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("partners", "0003_immutable_row_function"),
    ]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
