"""A trigger function partner schemas use to make rows immutable (ledger entries, issued
documents): tenant migrations create triggers calling ``public.essaim_immutable_row()``.
It lives in public so that the template holds triggers but no functions of its own."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION public.essaim_immutable_row() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rows of %.% are immutable; post a correcting entry instead',
        TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

REVERSE = "DROP FUNCTION IF EXISTS public.essaim_immutable_row();"


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_registry_version_trigger")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
