"""Benchmark of the labour-law engine without the database.

Run: .venv/bin/python bench/labour_law_engine.py
Prints simulations per second (forward and reverse, one core) and the planner's median
time on 24 months of income.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common.money import Money  # noqa: E402
from tenants.labour_law.engine import simulate, simulate_for_net  # noqa: E402
from tenants.labour_law.packs import get_pack  # noqa: E402
from tenants.labour_law.planner import plan_protection  # noqa: E402

PACKS = ("be", "fr", "de", "it", "es", "at", "se")


def bench_simulations(count: int = 30_000) -> None:
    rng = random.Random(7)
    cases = []
    for _ in range(count):
        pack = get_pack(rng.choice(PACKS))
        month = rng.randint(1, 12)
        year = rng.choice((2024, 2025, 2026))
        amount = Money(Decimal(rng.randint(0, 1_500_000)).scaleb(-2), pack.currency)
        cases.append((pack, amount, date(year, month, 1), date(year, month, 28)))
    for pack, amount, start, end in cases[:500]:  # warm the per-date caches
        simulate(pack, amount=amount, period_start=start, period_end=end)
    began = time.perf_counter()
    for pack, amount, start, end in cases:
        simulate(pack, amount=amount, period_start=start, period_end=end)
    forward = count / (time.perf_counter() - began)
    began = time.perf_counter()
    for pack, amount, start, end in cases:
        simulate_for_net(pack, target_net=amount, period_start=start, period_end=end)
    reverse = count / (time.perf_counter() - began)
    print(f"simulate:         {forward:10,.0f} simulations/s ({count:,} random cases, 7 packs)")
    print(f"simulate_for_net: {reverse:10,.0f} simulations/s")


def bench_planner(runs: int = 50) -> None:
    rng = random.Random(11)
    pack = get_pack("de")
    timings = []
    for _ in range(runs):
        incomes = [
            Money(Decimal(rng.choice((0, 0, 300, 900, 2500, 6000))), "EUR") for _ in range(24)
        ]
        hours = [rng.choice((None, None, 10, 40)) for _ in range(24)]
        began = time.perf_counter()
        try:
            plan_protection(
                pack,
                start=date(2025, 1, 1),
                incomes=incomes,
                opening_balance=Money("1000", "EUR"),
                hours=hours,
            )
        except Exception:  # noqa: BLE001 - an infeasible random case still counts its time
            pass
        timings.append((time.perf_counter() - began) * 1000)
    print(
        f"plan_protection:  median {statistics.median(timings):.2f} ms, "
        f"max {max(timings):.2f} ms (24 months, {runs} random plans; per-month rule caches "
        "warm after the first plan)"
    )


if __name__ == "__main__":
    bench_simulations()
    bench_planner()
