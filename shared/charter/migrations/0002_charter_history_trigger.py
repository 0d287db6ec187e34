"""Refuse, in the database, any change to a charter version in force since before today
(UPDATE or DELETE, whatever the write path: the admin, a shell, raw SQL). The service
refuses from the version's first day on (``charter_update``); the trigger compares with
the database's ``CURRENT_DATE``, so it allows the first day itself, where a database
clock a little ahead of the application's would otherwise refuse a legitimate edit of a
version starting tomorrow. Moving a version's date into the past is refused too."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION public.essaim_charter_history() RETURNS trigger AS $$
BEGIN
    IF OLD.effective_from < CURRENT_DATE THEN
        RAISE EXCEPTION 'charter version %@% is in force; create a new version instead',
            OLD.tier, OLD.effective_from
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.effective_from < CURRENT_DATE THEN
            RAISE EXCEPTION 'a charter version cannot take effect in the past'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charter_history_kept
    BEFORE UPDATE OR DELETE ON charter_charter
    FOR EACH ROW EXECUTE FUNCTION public.essaim_charter_history();
"""

REVERSE = """
DROP TRIGGER IF EXISTS charter_history_kept ON charter_charter;
DROP FUNCTION IF EXISTS public.essaim_charter_history();
"""


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
