"""Benchmark: the balance of an activity with 10,000 ledger entries (target: under 20 ms).

Run from the repository root:

    .venv/bin/python bench/ledger_balance.py [--entries 10000] [--rounds 6] [--quick]

Works in a fresh database ``<DATABASE_URL's name>_ledger_balance`` (dropped at the end
unless ``--keep``) with one partner: one activity with ``--entries`` entries among nine
other activities with as many each (100,000 rows in the table by default, so that the
index matters), inserted in bulk. Nothing is vacuumed or analysed by the benchmark: the
table is timed in whatever state autovacuum (as the server is configured) left it, which
the script prints before and after. Then alternated rounds of two sides: ``balance``,
the median of 50 calls of ``activity_balance`` (one aggregate query), and ``post``, the
median of 100 postings through ``ledger_post`` (validation, insert, audit row,
idempotency key; one commit each) on the same activity, so that the balance is also read
while the table changes. Judged: the median of the rounds' ``balance`` figures, in ms.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

KINDS = ["turnover_collected", "fee", "expense", "salary", "service_charge"]


def fill(activity, count: int, rng: random.Random) -> Decimal:
    from tenants.members.models import LedgerEntry

    rows, total = [], Decimal(0)
    start = dt.date(2020, 1, 1)
    for i in range(count):
        amount = Decimal(rng.randint(-50_000, 100_000)).scaleb(-2)
        total += amount
        rows.append(
            LedgerEntry(
                activity=activity,
                kind=KINDS[i % len(KINDS)],
                amount=amount,
                currency="EUR",
                booked_on=start + dt.timedelta(days=i % 2000),
                description=f"bench {i}",
                rule={"rule": "bench"},
            )
        )
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    return total


def table_state() -> str:
    """What autovacuum has done to the ledger table so far, and whether it may run."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        cursor.execute(
            "SELECT n_live_tup, n_mod_since_analyze, n_ins_since_vacuum, last_vacuum, "
            "last_autovacuum, last_analyze, last_autoanalyze FROM pg_stat_user_tables "
            "WHERE relid = 'members_ledgerentry'::regclass"
        )
        row = cursor.fetchone()
    names = (
        "live rows",
        "changed since analyse",
        "inserted since vacuum",
        "vacuum",
        "autovacuum",
        "analyse",
        "autoanalyse",
    )
    state = ", ".join(
        f"{name} {value or 'never' if i > 2 else value}"
        for i, (name, value) in enumerate(zip(names, row, strict=True))
    )
    return f"autovacuum {autovacuum}; members_ledgerentry: {state}"


def main() -> int:
    parser = harness.arguments(__doc__.split("\n")[0], quick="1,000 entries, 2 rounds")
    parser.add_argument("--entries", type=int, default=10_000, help="entries per activity")
    parser.add_argument("--rounds", type=int, default=6, help="alternated rounds (6)")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.rounds = min(args.entries, 1000), min(args.rounds, 2)

    with harness.scratch_database("ledger_balance", keep=args.keep):
        from django.db import connection, transaction

        from common.money import Money
        from tenants.members.models import Activity, Member
        from tenants.members.selectors import activity_balance
        from tenants.members.services import ledger_post
        from tests.helpers import make_partner

        harness.header("ledger_balance")
        rng = random.Random(42)
        partner = make_partner("bench", country="DE", tier="open_smart")
        connection.set_tenant(partner)
        member = Member.objects.create(first_name="Bench", last_name="Mark", status="active")
        activities = [
            Activity.objects.create(member=member, name=f"A{i}", sector="62") for i in range(10)
        ]
        began = time.perf_counter()
        expected = [fill(activity, args.entries, rng) for activity in activities]
        print(f"inserted {args.entries * 10} entries in {time.perf_counter() - began:.1f} s")
        print(table_state())
        target = activities[3]
        if activity_balance(activity=target).amount != expected[3]:
            raise SystemExit("wrong balance")
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT SUM(amount) FROM members_ledgerentry WHERE activity_id = %s",
                [target.pk],
            )
            plan = " / ".join(row[0].strip() for row in cursor.fetchall())
        print(f"plan: {plan}")
        postings = iter(range(10**9))

        def balance() -> float:
            durations = []
            for _ in range(50):
                start = time.perf_counter()
                activity_balance(activity=target)
                durations.append(time.perf_counter() - start)
            return statistics.median(durations) * 1000

        def post() -> float:
            durations = []
            for _ in range(100):
                start = time.perf_counter()
                with transaction.atomic():
                    ledger_post(
                        activity=target,
                        kind="fee",
                        amount=Money(Decimal("-7.00"), "EUR"),
                        booked_on=dt.date(2026, 1, 1),
                        description="bench fee",
                        rule={"rule": "fee", "rate": "0.0700", "base": "100.00"},
                        idempotency_key=f"bench.{next(postings)}",
                    )
                durations.append(time.perf_counter() - start)
            return statistics.median(durations) * 1000

        print(f"\n{args.rounds} alternated rounds (balance: median of 50 calls; post: of 100):")
        times = harness.alternate({"balance": balance, "post": post}, args.rounds, unit="ms")
        print(table_state())
        print()
        harness.print_sides(times, "ms", digits=2)
        result = harness.spread(times["balance"])
        harness.verdict(
            f"activity_balance over {args.entries:,} entries, median of rounds",
            result.median,
            unit="ms",
            at_most=20,
            digits=2,
            detail=f"(min {result.min:.2f}, max {result.max:.2f})",
        )
        connection.set_schema_to_public()
    return 0


if __name__ == "__main__":
    harness.run(main)
