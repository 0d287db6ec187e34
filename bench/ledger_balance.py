"""Benchmark: the balance of an activity with 10,000 ledger entries (target < 20 ms median).

Run: DATABASE_URL=postgresql://... .venv/bin/python bench/ledger_balance.py [entries]
(with no DATABASE_URL the embedded PostgreSQL is used).

Creates a throw-away partner, one activity with ``entries`` entries (default 10,000) among
nine other activities with as many each (100,000 rows in the table, so that the index
matters), times ``activity_balance`` (one aggregate query) 300 times, then times 1,000
postings through ``ledger_post`` (validation, insert, audit row; idempotency key), and
drops the partner.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from common.money import Money  # noqa: E402
from tenants.members.models import Activity, LedgerEntry, Member  # noqa: E402
from tenants.members.selectors import activity_balance  # noqa: E402
from tenants.members.services import ledger_post  # noqa: E402
from tests.helpers import destroy_partner, make_partner  # noqa: E402

KINDS = ["turnover_collected", "fee", "expense", "salary", "service_charge"]


def fill(activity: Activity, count: int, rng: random.Random) -> Decimal:
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


def percentile(values: list[float], fraction: float) -> float:
    return sorted(values)[int(len(values) * fraction)]


def main() -> None:
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(42)
    partner = make_partner(f"bench{uuid.uuid4().hex[:8]}", country="DE", tier="open_smart")
    try:
        connection.set_tenant(partner)
        member = Member.objects.create(first_name="Bench", last_name="Mark", status="active")
        activities = [
            Activity.objects.create(member=member, name=f"A{i}", sector="62") for i in range(10)
        ]
        began = time.perf_counter()
        expected = [fill(activity, entries, rng) for activity in activities]
        print(f"inserted {entries * 10} entries in {time.perf_counter() - began:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE members_ledgerentry")
        target = activities[3]
        assert activity_balance(activity=target).amount == expected[3]
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT SUM(amount) FROM members_ledgerentry WHERE activity_id = %s",
                [target.pk],
            )
            plan = " / ".join(row[0].strip() for row in cursor.fetchall())
        print(f"plan: {plan}")
        durations = []
        for _ in range(300):
            start = time.perf_counter()
            activity_balance(activity=target)
            durations.append(time.perf_counter() - start)
        print(
            f"activity_balance over {entries} entries (300 runs): "
            f"median {statistics.median(durations) * 1000:.2f} ms, "
            f"p95 {percentile(durations, 0.95) * 1000:.2f} ms, "
            f"max {max(durations) * 1000:.2f} ms"
        )
        durations = []
        began = time.perf_counter()
        for i in range(1000):
            start = time.perf_counter()
            with transaction.atomic():
                ledger_post(
                    activity=target,
                    kind="fee",
                    amount=Money(Decimal("-7.00"), "EUR"),
                    booked_on=dt.date(2026, 1, 1),
                    description="bench fee",
                    rule={"rule": "fee", "rate": "0.0700", "base": "100.00"},
                    idempotency_key=f"bench.{i}",
                )
            durations.append(time.perf_counter() - start)
        elapsed = time.perf_counter() - began
        print(
            f"ledger_post x1000: {1000 / elapsed:.0f}/s, "
            f"median {statistics.median(durations) * 1000:.2f} ms, "
            f"p95 {percentile(durations, 0.95) * 1000:.2f} ms"
        )
    finally:
        connection.set_schema_to_public()
        destroy_partner(partner)


if __name__ == "__main__":
    main()
