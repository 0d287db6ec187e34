"""Refuse UPDATE and DELETE of guarantee fund movements in the database too."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER payroll_fundmovement_immutable
BEFORE UPDATE OR DELETE ON payroll_fundmovement
FOR EACH ROW EXECUTE FUNCTION public.essaim_immutable_row();
"""

REVERSE = "DROP TRIGGER IF EXISTS payroll_fundmovement_immutable ON payroll_fundmovement;"


class Migration(migrations.Migration):
    dependencies = [
        ("payroll", "0001_guarantee_fund"),
        ("partners", "0003_immutable_row_function"),
    ]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
