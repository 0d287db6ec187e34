"""Benchmark (a): creating a partner from the template versus by running migrations.

Run from the repository root:

    .venv/bin/python bench/partner_create.py [--partners 200] [--rounds 15] [--quick]

Works in a fresh database ``<DATABASE_URL's name>_partner_create`` (dropped at the end
unless ``--keep``). After ``migrate`` (public + template), it measures ``partner_create``
(the whole service: validation, schema, registry row, host, history event, commit) with
the schema replayed from the template capture and with the schema built by running every
tenant migration (``clone_template_into`` forced to return False, as when no capture
exists), first with 1 existing partner, then with ``--partners`` existing partners
(created beforehand through the template). Each round creates one partner by each method,
in alternated order (template first, then migrations first...), so that drift affects both
alike; each measured partner is dropped again so that the number of existing partners
stays fixed. Prints each side's median, min, max and spread over the rounds, and the
ratio migrations/template of each round (median and range).

Targets (issue 3, item 11a), judged in their unit: template median under 300 ms, and the
median of the per-round ratios at least 5x.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402


def drop_partner(partner) -> None:
    """Remove a benchmark partner entirely (the product itself never deletes one)."""
    from django.db import connection

    from tenants.partners.models import Domain, Partner, PartnerEvent
    from tenants.partners.routing import routing_cache_clear

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{partner.schema_name}" CASCADE')
    PartnerEvent.objects.filter(partner_id=partner.pk).delete()
    Domain.objects.filter(tenant_id=partner.pk).delete()
    Partner.objects.filter(pk=partner.pk).delete()
    routing_cache_clear()


def create(slug: str, *, migrations: bool) -> tuple[float, object]:
    from tenants.partners import services

    original = services.clone_template_into
    if migrations:
        services.clone_template_into = lambda schema_name: False
    try:
        started = time.perf_counter()
        partner = services.partner_create(
            slug=slug, name=slug.title(), country="BE", tier="open_smart"
        )
        return time.perf_counter() - started, partner
    finally:
        services.clone_template_into = original


def measure(level: int, rounds: int) -> dict[str, list[float]]:
    """Milliseconds of one creation per method and round, alternated (template first in
    even rounds); each measured partner is dropped again."""
    # One unmeasured creation of each, so that both start warm (imports, migration loader).
    for method in ("template", "migrations"):
        _, partner = create(f"warm-{method[0]}-{level}", migrations=method == "migrations")
        drop_partner(partner)
    count = iter(range(10**6))

    def one(method: str) -> float:
        seconds, partner = create(
            f"m-{method[0]}-{level}-{next(count)}", migrations=method == "migrations"
        )
        drop_partner(partner)
        return seconds * 1000

    print(f"\nWith {level} existing partner(s), {rounds} alternated rounds:")
    return harness.alternate(
        {"template": lambda: one("template"), "migrations": lambda: one("migrations")},
        rounds,
        unit="ms",
    )


def fill(target: int) -> float:
    """Create partners through the template until ``target`` exist; returns seconds."""
    from tenants.partners.models import Partner

    existing = Partner.objects.count()
    started = time.perf_counter()
    for index in range(existing, target):
        create(f"p{index:04d}", migrations=False)
    return time.perf_counter() - started


def profile_one() -> None:
    """Print where one template creation spends its time, statement by statement."""
    from django.db import connection

    rows: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            rows.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(wrapper):
        total, partner = create("profiled", migrations=False)
    drop_partner(partner)
    print(
        f"\nProfile of one template creation: {total * 1000:.1f} ms in total, "
        f"{len(rows)} statements, {sum(r[0] for r in rows) * 1000:.1f} ms in the database"
    )
    for seconds, sql in sorted(rows, reverse=True)[:12]:
        print(f"  {seconds * 1000:7.1f} ms  {' '.join(sql.split())[:110]}")


def shape() -> str:
    from django.db import connection

    from tenants.partners.template import template_schema_name

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r'",
            [template_schema_name()],
        )
        tables = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'i'",
            [template_schema_name()],
        )
        indexes = cursor.fetchone()[0]
        cursor.execute(f'SELECT count(*) FROM "{template_schema_name()}".django_migrations')
        migrations = cursor.fetchone()[0]
    return f"{tables} tables, {indexes} indexes, {migrations} migration records per schema"


def report(level: int, times: dict[str, list[float]]) -> dict:
    harness.print_sides(times, "ms")
    ratio = harness.ratio_spread(times["migrations"], times["template"])
    print(f"  migrations / template, per round: {ratio.text('x', 2)}")
    template = harness.spread(times["template"])
    harness.verdict(
        f"template creation with {level} existing partner(s), median of rounds",
        template.median,
        unit="ms",
        at_most=300,
        detail=f"(min {template.min:.0f}, max {template.max:.0f})",
    )
    harness.verdict(
        f"migrations / template with {level} existing partner(s), median of round ratios",
        ratio.median,
        unit="x",
        at_least=5,
        digits=2,
        detail=f"(range {ratio.min:.2f}-{ratio.max:.2f})",
    )
    return {
        "existing": level,
        "template": template.__dict__,
        "migrations": harness.spread(times["migrations"]).__dict__,
        "ratio": ratio.__dict__,
    }


def main() -> int:
    parser = harness.arguments(__doc__.split("\n")[0], quick="20 partners, 3 rounds")
    parser.add_argument(
        "--partners",
        type=int,
        default=200,
        help="existing partners for the second measurement (default 200)",
    )
    parser.add_argument(
        "--rounds",
        "--repeat",
        type=int,
        default=15,
        help="alternated rounds (one creation per method each) per level (default 15)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print the costliest statements of one template creation",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if args.quick:
        args.partners, args.rounds = min(args.partners, 20), min(args.rounds, 3)

    started = time.perf_counter()
    with harness.scratch_database("partner_create", keep=args.keep):
        harness.header("partner_create")
        print(f"migrate (public + template) took {time.perf_counter() - started:.1f} s; {shape()}")
        fill(1)
        results = [report(1, measure(1, args.rounds))]
        seconds = fill(args.partners)
        print(
            f"\nCreated {args.partners - 1} more partners through the template in "
            f"{seconds:.1f} s ({seconds / max(1, args.partners - 1) * 1000:.0f} ms each)"
        )
        results.append(report(args.partners, measure(args.partners, args.rounds)))
        if args.profile:
            profile_one()
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    harness.run(main)
