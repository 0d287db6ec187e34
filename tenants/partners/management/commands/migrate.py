"""`migrate`: the public schema, then the template schema (captured for fast partner
creation), then every partner schema, sequentially or in parallel processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors.base import run_migrations
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants.partners.models import Partner
from tenants.partners.template import store_template_capture, template_schema_name


class Command(MigrateSchemasCommand):
    help = (
        "Bring the public schema, the template schema and every partner schema up to date "
        "(idempotent). --jobs N migrates partner schemas in N processes."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--jobs", type=int, default=int(os.environ.get("MIGRATE_JOBS", "1")),
            help="Processes migrating partner schemas in parallel (default 1).",
        )
        parser.add_argument(
            "--partner-schemas", default=None,
            help="Internal: comma-separated partner schemas for one worker process.",
        )

    def handle(self, *args, **options):
        if options.get("partner_schemas"):
            return self._migrate_schemas(options["partner_schemas"].split(","), args, options)
        if options.get("schema_name") or options.get("shared") or options.get("tenant"):
            # Explicit django-tenants usage (one schema, or one side): keep its behaviour.
            return super().handle(*args, **options)

        started = time.monotonic()
        public = get_public_schema_name()
        run_migrations(args, options, "public", public)

        template = template_schema_name()
        connection.set_schema_to_public()
        if not schema_exists(template):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{template}"')
        run_migrations(args, options, "template", template)
        connection.set_schema_to_public()
        captured = store_template_capture()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Template schema {template} migrated"
                + (" and captured." if captured else "; capture refused, partners will migrate.")
            )

        schemas = list(
            Partner.objects.order_by("schema_name").values_list("schema_name", flat=True)
        )
        jobs = max(1, min(options["jobs"], len(schemas) or 1))
        if jobs == 1:
            self._migrate_schemas(schemas, args, options)
        else:
            self._migrate_in_processes(schemas, jobs, options)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Migrated {len(schemas)} partner schemas with {jobs} process(es) "
                f"in {time.monotonic() - started:.1f}s."
            )

    def _migrate_schemas(self, schemas, args, options):
        for index, schema in enumerate(schemas):
            run_migrations(args, options, "partner", schema, idx=index, count=len(schemas))
            connection.set_schema_to_public()

    def _migrate_in_processes(self, schemas, jobs, options):
        """Split the schemas into ``jobs`` slices, each migrated by one long-lived child
        process (one Django start-up per process, not per schema; no forked connections,
        which is what made django-tenants' multiprocessing executor hang)."""
        manage = Path(settings.BASE_DIR) / "manage.py"
        env = dict(os.environ)
        # Children must reach the very database this process migrates (tests use their own).
        env["DATABASE_URL"] = _database_url()
        slices = [schemas[i::jobs] for i in range(jobs)]
        children = []
        for part in slices:
            argv = [
                sys.executable, str(manage), "migrate", "--noinput",
                "--verbosity", str(max(0, options["verbosity"] - 1)),
                "--partner-schemas", ",".join(part),
            ]
            if options.get("settings"):
                argv += ["--settings", options["settings"]]
            children.append(subprocess.Popen(argv, env=env))
        failed = [child.args for child in children if child.wait() != 0]
        if failed:
            raise CommandError(f"{len(failed)} migration process(es) failed.")


def _database_url() -> str:
    params = connection.settings_dict
    host = params.get("HOST") or ""
    user = params.get("USER") or ""
    password = params.get("PASSWORD") or ""
    port = params.get("PORT") or ""
    name = params["NAME"]
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    if host.startswith("/"):
        return f"postgresql://{auth}/{name}?host={host}" + (f"&port={port}" if port else "")
    return f"postgresql://{auth}{host}{':' + str(port) if port else ''}/{name}"
