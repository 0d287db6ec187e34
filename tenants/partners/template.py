"""The template schema: migrated once by ``migrate``, captured as a replayable definition,
and replayed to create each new partner's schema in one transaction.

Replaying the captured definition (tables created ``LIKE`` the template's, then the
template's own constraints and indexes by name, then its rows) is an order of magnitude
faster than running every migration again, and gives the same tables, columns,
constraints, indexes and migration records as a migrated schema (tests/tenants/partners/
test_template.py compares both). Anything the capture does not know how to reproduce
(views, functions of its own, free-standing sequences) makes it refuse, and creation falls
back to migrations rather than produce a different schema.
"""

from __future__ import annotations

import hashlib
import logging
from functools import lru_cache

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

# Stands for the new schema's (quoted) name in the captured script.
SCHEMA_TOKEN = "__essaim_new_schema__"


class TemplateUnsupported(Exception):
    """The template holds an object the capture cannot reproduce faithfully."""


def template_schema_name() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of every migration the code knows (the graph's nodes). A partner schema
    records all of them (shared apps' migrations are recorded without creating tables),
    so a template whose records differ is out of date and must not be cloned."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    nodes = sorted(f"{app}.{name}" for app, name in loader.graph.nodes)
    return hashlib.sha256("\n".join(nodes).encode()).hexdigest()


def _applied_fingerprint(cursor, schema: str) -> str:
    cursor.execute(f"SELECT app, name FROM {_quote(schema)}.django_migrations")
    nodes = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    return hashlib.sha256("\n".join(nodes).encode()).hexdigest()


def capture_template(schema: str | None = None) -> tuple[str, str]:
    """Read the template schema from the catalogue and return ``(fingerprint, script)``:
    the SQL that recreates it in a schema named by ``SCHEMA_TOKEN``.

    Raises ``TemplateUnsupported`` for objects the replay cannot reproduce.
    """
    schema = schema or template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema])
        row = cursor.fetchone()
        if row is None:
            raise TemplateUnsupported(f"schema {schema} does not exist")
        ns = row[0]
        cursor.execute(
            "SELECT relname, relkind FROM pg_class WHERE relnamespace = %s "
            "AND relkind IN ('v', 'm', 'f', 'p') ORDER BY relname",
            [ns],
        )
        odd = cursor.fetchall()
        if odd:
            raise TemplateUnsupported(f"unsupported relations: {odd}")
        cursor.execute("SELECT count(*) FROM pg_proc WHERE pronamespace = %s", [ns])
        if cursor.fetchone()[0]:
            raise TemplateUnsupported("functions in template schema")
        # Sequences must all be owned by identity columns (Django's AutoField).
        cursor.execute(
            "SELECT s.relname FROM pg_class s WHERE s.relnamespace = %s AND s.relkind = 'S' "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = s.oid "
            "AND d.deptype = 'i')",
            [ns],
        )
        loose = cursor.fetchall()
        if loose:
            raise TemplateUnsupported(f"free-standing sequences: {loose}")
        cursor.execute(
            "SELECT c.relname, a.attname FROM pg_attrdef d "
            "JOIN pg_class c ON c.oid = d.adrelid "
            "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
            "WHERE c.relnamespace = %s AND pg_get_expr(d.adbin, d.adrelid) LIKE '%%nextval%%'",
            [ns],
        )
        serial = cursor.fetchall()
        if serial:
            raise TemplateUnsupported(f"serial columns: {serial}")

        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s AND relkind = 'r' "
            "ORDER BY relname",
            [ns],
        )
        tables = [r[0] for r in cursor.fetchall()]

        # Definitions are printed unqualified for objects of the template schema, and
        # qualified (public.x) for anything else: run with only the template on the path.
        cursor.execute("SELECT current_setting('search_path')")
        saved_path = cursor.fetchone()[0]
        cursor.execute(f"SET search_path = {_quote(schema)}")
        try:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, contype, "
                "pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = %s AND contype IN ('p', 'u', 'x', 'f') "
                "ORDER BY CASE contype WHEN 'f' THEN 1 ELSE 0 END, "
                "conrelid::regclass::text, conname",
                [ns],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = %s "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
                "AND k.contype IN ('p', 'u', 'x') AND k.conrelid = i.indrelid) "
                "ORDER BY c.relname",
                [ns],
            )
            indexes = [r[0] for r in cursor.fetchall()]
            cursor.execute(
                "SELECT c.relname, a.attname FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = %s "
                "AND c.relkind = 'r' AND a.attidentity <> '' ORDER BY c.relname",
                [ns],
            )
            identities = cursor.fetchall()
            # Triggers may only call functions outside the template (e.g. public's
            # essaim_immutable_row), since the template's own functions are refused above.
            cursor.execute(
                "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = %s AND NOT t.tgisinternal ORDER BY t.tgname",
                [ns],
            )
            triggers = [r[0] for r in cursor.fetchall()]
        finally:
            cursor.execute(f"SET search_path = {saved_path}")
        populated = []
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote(schema)}.{_quote(table)})")
            if cursor.fetchone()[0]:
                populated.append(table)
        fingerprint = _applied_fingerprint(cursor, schema)

    src = _quote(schema)
    new = SCHEMA_TOKEN
    lines = [f"CREATE SCHEMA {new};", f"SET LOCAL search_path = {new}, public;"]
    for table in tables:
        lines.append(
            f"CREATE TABLE {new}.{_quote(table)} (LIKE {src}.{_quote(table)} "
            # CHECK constraints come with LIKE (same names, same expression trees);
            # keys and indexes are added below by name, after the rows are copied.
            "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE "
            "INCLUDING COMMENTS INCLUDING CONSTRAINTS);"
        )
    for table in populated:
        lines.append(f"INSERT INTO {new}.{_quote(table)} SELECT * FROM {src}.{_quote(table)};")
    for table, column in identities:
        if table in populated:
            lines.append(
                f"SELECT setval(pg_get_serial_sequence('{new}.{_quote(table)}', '{column}'), "
                f"(SELECT max({_quote(column)}) FROM {new}.{_quote(table)}));"
            )
    for relname, conname, _contype, definition in constraints:
        lines.append(
            f"ALTER TABLE {new}.{_quote(relname.strip(chr(34)))} "
            f"ADD CONSTRAINT {_quote(conname)} {definition};"
        )
    for index in indexes:
        # pg_get_indexdef always qualifies the table with its schema.
        for qualified in (f" ON {schema}.", f" ON {src}.", f" ON ONLY {schema}."):
            index = index.replace(qualified, f" ON {new}.")
        if src in index or f" {schema}." in index:
            raise TemplateUnsupported(f"index definition not rewritable: {index}")
        lines.append(index + ";")
    for trigger in triggers:
        for qualified in (f" ON {schema}.", f" ON {src}."):
            trigger = trigger.replace(qualified, f" ON {new}.")
        if src in trigger or f" {schema}." in trigger:
            raise TemplateUnsupported(f"trigger definition not rewritable: {trigger}")
        lines.append(trigger + ";")
    return fingerprint, "\n".join(lines)


def store_template_capture() -> bool:
    """Capture the template schema and keep the script in the registry. Returns False
    (and keeps nothing) when the template cannot be captured faithfully."""
    from tenants.partners.models import TemplateSchema

    schema = template_schema_name()
    try:
        fingerprint, script = capture_template(schema)
    except TemplateUnsupported as exc:
        logger.warning("Template schema not captured (%s); partners will be migrated.", exc)
        TemplateSchema.objects.filter(schema_name=schema).delete()
        return False
    TemplateSchema.objects.update_or_create(
        schema_name=schema, defaults={"fingerprint": fingerprint, "ddl": script}
    )
    _cached_script.cache_clear()
    return True


@lru_cache(maxsize=1)
def _cached_script() -> tuple[str, str] | None:
    from tenants.partners.models import TemplateSchema

    row = (
        TemplateSchema.objects.filter(schema_name=template_schema_name())
        .values_list("fingerprint", "ddl")
        .first()
    )
    return row


def template_script() -> str | None:
    """The captured script if it matches the code's migrations, else None."""
    row = _cached_script()
    if row is None:
        return None
    fingerprint, script = row
    if fingerprint != code_fingerprint():
        _cached_script.cache_clear()
        return None
    return script


def clone_template_into(schema_name: str) -> bool:
    """Create ``schema_name`` by replaying the captured template, inside the caller's
    transaction. Returns False when no usable capture exists (the caller migrates)."""
    script = template_script()
    if script is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('search_path')")
        saved_path = cursor.fetchone()[0]
        cursor.execute(script.replace(SCHEMA_TOKEN, _quote(schema_name)))
        cursor.execute(f"SET LOCAL search_path = {saved_path}")
    return True
