"""Benchmark (c): ``migrate`` over many partner schemas, sequential (``--jobs 1``) versus
parallel (``--jobs 2``).

Run from the repository root:

    .venv/bin/python bench/migrate_parallel.py [--partners 60] [--jobs 2]
                                               [--scenario both] [--rounds 3] [--quick]

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

Each round runs both job counts, in alternated order (1 N, N 1, ...), and every run is
checked: each partner schema must end with the template's migration records. Prints each
side's median, min, max and spread, and the speedup (sequential / parallel) of each
round, its median and range. Target (issue 3, item 11c), judged on the median of the
round speedups of ``full``: >= 1.8x on 2 cores; ``noop`` is reported only. 60 partners
(the default) keep a full run under about 15 minutes on 2 cores.
"""

from __future__ import annotations

import os
import re
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


def scenario(name: str, count: int, jobs: int, rounds: int, url: str, logs: Path) -> None:
    print(
        f"\nScenario {name}: {count} partner schemas "
        + (
            "needing every tenant migration (emptied again before every run)"
            if name == "full"
            else "already up to date"
        )
    )
    sides = {"--jobs 1": 1, f"--jobs {jobs}": jobs}
    runs = iter(range(10**6))

    def reset(_side: str) -> None:
        if name == "full":
            empty_schemas(count)

    def measure(side: str) -> float:
        log = logs / f"migrate-{name}-j{sides[side]}-{next(runs)}.log"
        seconds = run_migrate(sides[side], url, log)
        check_migrated(count)
        phase = partner_phase(log)
        if phase is not None:
            print(f"            (partner phase of the next line: {phase:.1f} s)")
        return seconds

    times = harness.alternate(
        {side: (lambda side=side: measure(side)) for side in sides},
        rounds,
        unit="s",
        before_each=reset,
    )
    harness.print_sides(times, "s")
    sequential, parallel = times["--jobs 1"], times[f"--jobs {jobs}"]
    speedup = harness.ratio_spread(sequential, parallel)
    print(f"  speedup --jobs 1 / --jobs {jobs}, per round: {speedup.text('x', 2)}")
    if name == "full":
        harness.verdict(
            f"migrate speedup with --jobs {jobs} on {os.cpu_count()} cores, {count} schemas "
            "needing every migration, median of round ratios",
            speedup.median,
            unit="x",
            at_least=1.8,
            digits=2,
            detail=f"(range {speedup.min:.2f}-{speedup.max:.2f})",
        )
    else:
        print(f"  reported only: speedup {speedup.median:.2f}x with nothing to migrate")


def main() -> int:
    parser = harness.arguments(__doc__.split("\n")[0], quick="4 partners, 2 rounds per scenario")
    parser.add_argument("--partners", type=int, default=60, help="partner schemas (60)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel job count (2)")
    parser.add_argument("--scenario", choices=("full", "noop", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds per scenario (3)")
    args = parser.parse_args()
    if args.quick:
        args.partners, args.rounds = min(args.partners, 4), min(args.rounds, 2)

    logs = Path(os.environ.get("TMPDIR", "/tmp")) / "essaim-bench-migrate"
    logs.mkdir(parents=True, exist_ok=True)
    with harness.scratch_database("migrate_parallel", keep=args.keep) as url:
        harness.header("migrate_parallel")
        register_empty_partners(args.partners)
        print(
            f"Registered {args.partners} partners with empty schemas; command: "
            f"manage.py migrate --noinput --jobs N (logs in {logs})"
        )
        if args.scenario in ("full", "both"):
            scenario("full", args.partners, args.jobs, args.rounds, url, logs)
        if args.scenario in ("noop", "both"):
            if args.scenario == "noop":
                run_migrate(1, url, logs / "migrate-prepare.log")
            scenario("noop", args.partners, args.jobs, args.rounds, url, logs)
    return 0


if __name__ == "__main__":
    harness.run(main)
