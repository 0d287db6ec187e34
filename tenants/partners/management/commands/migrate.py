"""`migrate`: the public schema, then the template schema (captured for fast partner
creation), then every partner schema, sequentially or in parallel processes."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors.base import LinePrefixStream, run_migrations
from django_tenants.signals import schema_migrated, schema_pre_migration
from django_tenants.utils import (
    get_public_schema_name,
    get_tenant_base_migrate_command_class,
    schema_exists,
)

from common.db import database_url
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
            "--jobs",
            type=int,
            default=int(os.environ.get("MIGRATE_JOBS", "1")),
            help="Processes migrating partner schemas in parallel (default 1).",
        )
        parser.add_argument(
            "--worker",
            action="store_true",
            help="Internal: migrate the partner schemas named on stdin, one per line.",
        )

    def handle(self, *args, **options):
        if options.get("worker"):
            return self._serve(args, options)
        if options.get("schema_name") or options.get("shared") or options.get("tenant"):
            # Explicit django-tenants usage (one schema, or one side): keep its behaviour.
            return super().handle(*args, **options)

        started = time.monotonic()
        # Start the helper processes first: their Django start-up overlaps the public and
        # template migrations below. They are handed schemas only once those are done.
        helpers = self._start_helpers(options["jobs"] - 1, options)
        try:
            public = get_public_schema_name()
            run_migrations(args, options, "public", public)

            # The public run did the system checks; they do not depend on the schema.
            options = {**options, "skip_checks": True}
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
                    + (
                        " and captured."
                        if captured
                        else "; capture refused, partners will migrate."
                    )
                )

            schemas = list(
                Partner.objects.order_by("schema_name").values_list("schema_name", flat=True)
            )
            if options["verbosity"] >= 1 and schemas:
                self.stdout.write(
                    f"Migrating {len(schemas)} partner schemas with {1 + len(helpers)} "
                    "process(es)..."
                )
            partners_started = time.monotonic()
            self._migrate_partners(schemas, helpers, args, options)
        except BaseException:
            for helper in helpers:
                helper.kill()
            raise
        if options["verbosity"] >= 1:
            now = time.monotonic()
            self.stdout.write(
                f"Migrated {len(schemas)} partner schemas with {1 + len(helpers)} process(es) "
                f"in {now - partners_started:.1f}s ({now - started:.1f}s in all)."
            )

    # --- partner schemas --------------------------------------------------------------

    def _migrate_partners(self, schemas, helpers, args, options):
        """Migrate ``schemas`` here and in the helper processes, which take the next schema
        from one shared queue as soon as they are free (no fixed slices: a slower process
        simply migrates fewer schemas). A schema that fails is reported and the others are
        still migrated; the command then fails naming it."""
        queue = deque(schemas)
        lock = threading.Lock()
        failures: list[str] = []
        progress = _Progress(
            self.stdout, total=len(schemas), enabled=options["verbosity"] >= 1, lock=lock
        )
        options = _partner_options(options)
        count = len(schemas)

        def take() -> str | None:
            with lock:
                return queue.popleft() if queue else None

        def feed(helper: subprocess.Popen) -> None:
            try:
                while (schema := take()) is not None:
                    helper.stdin.write(schema + "\n")
                    helper.stdin.flush()
                    answer = helper.stdout.readline().strip()
                    progress.one_done()
                    if answer != f"ok {schema}":
                        failures.append(schema)
                        if not answer:  # the helper died
                            break
            except OSError:
                failures.append("(helper process)")
            finally:
                with contextlib.suppress(OSError):
                    helper.stdin.close()

        feeders = [threading.Thread(target=feed, args=(h,), daemon=True) for h in helpers]
        for feeder in feeders:
            feeder.start()
        index = 0
        while (schema := take()) is not None:
            if not _migrate_or_report(schema, args, options, idx=index, count=count):
                failures.append(schema)
            progress.one_done()
            index += 1
        for feeder in feeders:
            feeder.join()
        if any(helper.wait() != 0 for helper in helpers) or failures:
            raise CommandError(
                f"Migration failed in {len(failures) or 'a'} partner schema(s)"
                + (f": {', '.join(failures[:10])}" if failures else "")
                + "; see the output above."
            )

    def _start_helpers(self, count, options) -> list[subprocess.Popen]:
        """Start ``count`` helper processes (``migrate --worker``), if there are at least
        that many partners beyond the first."""
        if count < 1 or _partner_count() < 2:
            return []
        count = min(count, _partner_count() - 1)
        manage = Path(settings.BASE_DIR) / "manage.py"
        env = dict(os.environ)
        # Helpers must reach the very database this process migrates (tests use their own).
        env["DATABASE_URL"] = database_url(connection.settings_dict)
        argv = [
            sys.executable,
            str(manage),
            "migrate",
            "--worker",
            "--noinput",
            "--skip-checks",
            "--verbosity",
            str(options["verbosity"]),
        ]
        if options.get("settings"):
            argv += ["--settings", options["settings"]]
        return [
            subprocess.Popen(
                argv,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
            for _ in range(count)
        ]

    def _serve(self, args, options):
        """Helper process: migrate each schema named on stdin and answer ``ok <schema>``
        (or ``failed <schema>``) on stdout; migration output goes to stderr."""
        protocol = sys.stdout
        options = _partner_options(options)
        failed = False
        with contextlib.redirect_stdout(sys.stderr):
            for line in sys.stdin:
                schema = line.strip()
                if not schema:
                    continue
                ok = _migrate_or_report(schema, args, options)
                failed = failed or not ok
                protocol.write(f"{'ok' if ok else 'failed'} {schema}\n")
                protocol.flush()
        if failed:
            raise CommandError("Some partner schemas failed to migrate.")


class _Progress:
    """One line per ``step`` migrated partner schemas (about twenty lines for the whole
    run, and at least one every ``PROGRESS_SECONDS``): how many of how many, the time
    elapsed and an estimate of the time left. Called by the main thread and by the
    threads that feed the helper processes."""

    PROGRESS_SECONDS = 15.0

    def __init__(self, stdout, *, total: int, enabled: bool, lock: threading.Lock):
        self.stdout = stdout
        self.total = total
        self.enabled = enabled
        self.lock = lock
        self.step = max(1, -(-total // 20))
        self.done = 0
        self.started = self.last = time.monotonic()

    def one_done(self) -> None:
        with self.lock:
            self.done += 1
            if not self.enabled:
                return
            now = time.monotonic()
            due = self.done % self.step == 0 or now - self.last >= self.PROGRESS_SECONDS
            if not (due or self.done == self.total):
                return
            self.last = now
            elapsed = now - self.started
            line = f"Partner schemas: {self.done}/{self.total} migrated, {elapsed:.1f}s elapsed"
            if self.done < self.total:
                left = elapsed / self.done * (self.total - self.done)
                line += f", about {left:.0f}s left"
            self.stdout.write(line + ".\n")
            self.stdout.flush()


def _partner_options(options: dict) -> dict:
    # Per-partner detail (each schema's plan and steps) one verbosity level down, in every
    # mode: the same work and output whether sequential or parallel. Below verbosity 1
    # Django's migrate also skips its "models have changes" autodetection, which concerns
    # the code (the same for every schema), not a schema, and is done for public already.
    return {**options, "verbosity": max(0, options["verbosity"] - 1), "skip_checks": True}


def _migrate_or_report(schema, args, options, idx=None, count=None) -> bool:
    """Migrate one schema; on failure, print why on stderr and return False, so that one
    broken schema does not keep the others behind (the command fails at the end)."""
    try:
        _migrate_schema(schema, args, options, idx=idx, count=count)
    except Exception:
        sys.stderr.write(f"[partner:{schema}] migration failed:\n{traceback.format_exc()}")
        # Start the next schema on a clean connection, whatever state this one left.
        connection.close()
        connection.set_schema_to_public()
        return False
    return True


def _migrate_schema(schema, args, options, idx=None, count=None) -> None:
    """What django-tenants' ``run_migrations`` does for one schema, but keeping the
    database connection open for the next schema (it closes it after every schema, so
    each schema paid a new connection and a cold server-side catalogue cache)."""
    schema_pre_migration.send(run_migrations, schema_name=schema)
    connection.set_schema(schema, include_public=False)
    # The schema's own django_migrations table must exist before the plan is read,
    # otherwise public's would be found through the search_path.
    MigrationRecorder(connection).ensure_schema()
    connection.set_schema(schema)
    progress = f"{idx + 1}/{count} " if idx is not None and count else ""
    stdout = LinePrefixStream(sys.stdout, lambda line: f"[{progress}partner:{schema}] {line}")
    stderr = LinePrefixStream(sys.stderr, lambda line: f"[{progress}partner:{schema}] {line}")
    try:
        migrate = get_tenant_base_migrate_command_class()(stdout=stdout, stderr=stderr)
        migrate.execute(*args, **options)
    finally:
        stdout.flush()
        stderr.flush()
    if not connection.get_autocommit() and not connection.in_atomic_block:
        transaction.commit()
    connection.set_schema_to_public()
    schema_migrated.send(run_migrations, schema_name=schema)


def _partner_count() -> int:
    """Registered partners, or 0 before the registry exists (a fresh database)."""
    connection.set_schema_to_public()
    if Partner._meta.db_table not in connection.introspection.table_names():
        return 0
    return Partner.objects.count()
