"""Bump partners_registryversion on every change to partners or domains, whatever the
write path (service, admin, raw SQL), so that every process's host table notices."""

from django.db import migrations

FORWARD = """
INSERT INTO partners_registryversion (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION partners_bump_registry_version() RETURNS trigger AS $$
BEGIN
    UPDATE partners_registryversion SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER partners_partner_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON partners_partner FOR EACH STATEMENT EXECUTE FUNCTION partners_bump_registry_version();
CREATE TRIGGER partners_domain_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON partners_domain FOR EACH STATEMENT EXECUTE FUNCTION partners_bump_registry_version();
"""

REVERSE = """
DROP TRIGGER IF EXISTS partners_domain_bump ON partners_domain;
DROP TRIGGER IF EXISTS partners_partner_bump ON partners_partner;
DROP FUNCTION IF EXISTS partners_bump_registry_version();
DELETE FROM partners_registryversion WHERE id = 1;
"""


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
