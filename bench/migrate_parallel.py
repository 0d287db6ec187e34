"""Benchmark (c): ``migrate`` over many partner schemas, sequential (``--jobs 1``) versus
parallel (``--jobs 2``).

Run from the repository root:

    .venv/bin/python bench/migrate_parallel.py [--partners 200] [--jobs 2]
                                               [--scenario both] [--rounds 1] [--quick]

Works in a fresh database ``<DATABASE_URL's name>_migrate_parallel`` (dropped at the end
unless ``--keep``). After ``migrate`` has built the public and template schemas, it
registers ``--partners`` partners whose schemas are EMPTY (``CREATE SCHEMA`` plus Partner
and Domain rows inserted directly), so that each needs the whole tenant migration set, and
times the real command, ``manage.py migrate --noinput --jobs N``, in a fresh process
(wall time, Django start-up included):

- ``full``: every partner schema needs every tenant migration; the schemas are emptied
  again between runs;
- ``noop``: every schema is already up to date ("nothing to do", what a deployment
  without new migrations pays).

Runs of the two job counts alternate (1, N, N, 1, ...) and every run is checked: each
partner schema must end with the template's migration records. Prints both times and
the speedup (sequential / parallel); target (issue 3, item 11c): >= 1.8x on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402


def schema_names(count: int) -> list[str]:
    return [f"mp{index:04d}" for index in range(count)]


def register_empty_partners(count: int) -> None:
    """Partner and Domain rows for ``count`` partners, each with an empty schema."""
    from django.conf import settings
    from django.db import connection, transaction

    from tenants.partners.models import Domain, Partner

    with transaction.atomic():
        partners = Partner.objects.bulk_create(
            Partner(
                schema_name=name,
                slug=name,
                name=name.upper(),
                country="BE",
                tier="open_smart",
                status="active",
                currency="EUR",
                default_locale="fr_BE",
                languages=["fr_BE", "nl_BE"],
            )
            for name in schema_names(count)
        )
        Domain.objects.bulk_create(
            Domain(domain=f"{p.slug}.{settings.PLATFORM_DOMAIN}", tenant=p, is_primary=True)
            for p in partners
        )
        with connection.cursor() as cursor:
            for name in schema_names(count):
                cursor.execute(f'CREATE SCHEMA "{name}"')


def empty_schemas(count: int) -> None:
    """Drop and recreate every partner schema (a few per transaction, to stay within the
    lock table)."""
    from django.db import connection, transaction

    names = schema_names(count)
    for start in range(0, len(names), 10):
        with transaction.atomic(), connection.cursor() as cursor:
            for name in names[start : start + 10]:
                cursor.execute(f'DROP SCHEMA "{name}" CASCADE')
                cursor.execute(f'CREATE SCHEMA "{name}"')
    with connection.cursor() as cursor:
        # Give both job counts the same catalogue to start from, not one bloated by the
        # previous run's dropped objects.
        for catalog in (
            "pg_class",
            "pg_attribute",
            "pg_depend",
            "pg_constraint",
            "pg_index",
            "pg_type",
            "pg_trigger",
        ):
            cursor.execute(f"VACUUM pg_catalog.{catalog}")


def check_migrated(count: int) -> None:
    from django.db import connection

    from tenants.partners.template import template_schema_name

    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{template_schema_name()}".django_migrations')
        expected = cursor.fetchone()[0]
        wrong = []
        for name in schema_names(count):
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM information_schema.tables "
                "WHERE table_schema = %s AND table_name = 'django_migrations')",
                [name],
            )
            found = 0
            if cursor.fetchone()[0]:
                cursor.execute(f'SELECT count(*) FROM "{name}".django_migrations')
                found = cursor.fetchone()[0]
            if found != expected:
                wrong.append((name, found))
    if wrong:
        raise SystemExit(f"{len(wrong)} schema(s) not fully migrated, e.g. {wrong[:3]}")


def run_migrate(jobs: int, url: str, log: Path) -> float:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.base", LOG_LEVEL="WARNING")
    argv = [
        sys.executable,
        str(harness.ROOT / "manage.py"),
        "migrate",
        "--noinput",
        "--jobs",
        str(jobs),
    ]
    started = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(
            argv, cwd=harness.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"migrate --jobs {jobs} failed; see {log}")
    return seconds


def partner_phase(log: Path) -> float | None:
    """The partner-schema phase as the command reports it, when it does."""
    match = re.search(r"partner schemas with \d+ process\(es\) in ([\d.]+)s", log.read_text())
    return float(match.group(1)) if match else None


def scenario(name: str, count: int, jobs: int, rounds: int, url: str, logs: Path) -> dict:
    times: dict[int, list[float]] = {1: [], jobs: []}
    print(
        f"\nScenario {name}: {count} partner schemas "
        + ("needing every tenant migration" if name == "full" else "already up to date")
    )
    for index in range(rounds):
        for job_count in (1, jobs) if index % 2 == 0 else (jobs, 1):
            if name == "full":
                empty_schemas(count)
            log = logs / f"migrate-{name}-j{job_count}-{index}.log"
            load = os.getloadavg()[0]
            seconds = run_migrate(job_count, url, log)
            check_migrated(count)
            times[job_count].append(seconds)
            phase = partner_phase(log)
            print(
                f"  run {index + 1}  --jobs {job_count}: {seconds:6.1f} s"
                + (f"  (partner phase {phase:.1f} s)" if phase is not None else "")
                + f"   load average before: {load:.1f}",
                flush=True,
            )
    sequential, parallel = statistics.median(times[1]), statistics.median(times[jobs])
    speedup = sequential / parallel
    verdict = "OK" if speedup >= 1.8 else "TARGET MISSED"
    print(
        f"  sequential {sequential:.1f} s, parallel ({jobs} jobs) {parallel:.1f} s: "
        f"speedup {speedup:.2f}x   [target >= 1.8x: {verdict}]"
    )
    return {"scenario": name, "sequential": sequential, "parallel": parallel, "speedup": speedup}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--partners", type=int, default=200, help="partner schemas (200)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel job count (2)")
    parser.add_argument("--scenario", choices=("full", "noop", "both"), default="both")
    parser.add_argument(
        "--rounds", type=int, default=1, help="runs per job count and scenario, alternated (1)"
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 10 partners")
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark database and the migrate logs"
    )
    args = parser.parse_args()
    if args.quick:
        args.partners, args.rounds = min(args.partners, 10), 1

    url = harness.fresh_database("migrate_parallel")
    harness.setup_django(url)
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / "essaim-bench-migrate"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        harness.migrate()
        print(f"migrate_parallel benchmark, commit {harness.git_revision()}")
        print(f"Machine: {harness.machine()}")
        register_empty_partners(args.partners)
        print(
            f"Registered {args.partners} partners with empty schemas; command: "
            f"manage.py migrate --noinput --jobs N (logs in {logs})"
        )
        results = []
        if args.scenario in ("full", "both"):
            results.append(scenario("full", args.partners, args.jobs, args.rounds, url, logs))
        if args.scenario in ("noop", "both"):
            if not results:
                run_migrate(1, url, logs / "migrate-prepare.log")
            results.append(scenario("noop", args.partners, args.jobs, args.rounds, url, logs))
        return 0 if all(r["speedup"] >= 1.8 for r in results if r["scenario"] == "full") else 1
    finally:
        if not args.keep:
            harness.drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
