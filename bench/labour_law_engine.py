"""Benchmark of the labour-law engine and the protection planner, without the database.

Run from the repository root:

    .venv/bin/python bench/labour_law_engine.py [--cases 30000] [--rounds 6] [--quick]

Random cases over the 7 country packs (amounts up to 15,000 in the pack's currency, a
month of 2024-2026), one core. Alternated rounds of three sides, each on its own share of
the cases: ``simulate`` (turnover to net) and ``simulate_for_net`` (the reverse), in
simulations per second, and ``plan_protection`` over 24 months of irregular income
(Germany's pack), the median milliseconds of 10 random plans. The engine needs no
database, so this benchmark creates none. Judged: ``simulate`` >= 10,000 simulations/s and
``plan_protection`` < 50 ms, each on the median of the rounds.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

PACKS = ("be", "fr", "de", "it", "es", "at", "se")


def random_cases(count: int, seed: int = 7) -> list[tuple]:
    from common.money import Money
    from tenants.labour_law.packs import get_pack

    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        pack = get_pack(rng.choice(PACKS))
        month = rng.randint(1, 12)
        year = rng.choice((2024, 2025, 2026))
        amount = Money(Decimal(rng.randint(0, 1_500_000)).scaleb(-2), pack.currency)
        cases.append((pack, amount, date(year, month, 1), date(year, month, 28)))
    return cases


def forward(cases: list[tuple]) -> float:
    from tenants.labour_law.engine import simulate

    began = time.perf_counter()
    for pack, amount, start, end in cases:
        simulate(pack, amount=amount, period_start=start, period_end=end)
    return len(cases) / (time.perf_counter() - began)


def reverse(cases: list[tuple]) -> float:
    from tenants.labour_law.engine import simulate_for_net

    began = time.perf_counter()
    for pack, amount, start, end in cases:
        simulate_for_net(pack, target_net=amount, period_start=start, period_end=end)
    return len(cases) / (time.perf_counter() - began)


def plans(rng: random.Random, count: int = 10) -> float:
    """Median milliseconds of ``count`` random 24-month plans."""
    from common.money import Money
    from tenants.labour_law.packs import get_pack
    from tenants.labour_law.planner import plan_protection

    pack = get_pack("de")
    timings = []
    for _ in range(count):
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
    return statistics.median(timings)


def main() -> int:
    parser = harness.arguments(
        __doc__.split("\n")[0], quick="3,000 cases, 2 rounds", database=False
    )
    parser.add_argument("--cases", type=int, default=30_000, help="random cases (30,000)")
    parser.add_argument("--rounds", type=int, default=6, help="alternated rounds (6)")
    args = parser.parse_args()
    if args.quick:
        args.cases, args.rounds = min(args.cases, 3000), min(args.rounds, 2)

    harness.header("labour_law_engine", database=False)
    cases = random_cases(args.cases)
    for pack, amount, start, end in cases[:500]:  # warm the per-date caches
        forward([(pack, amount, start, end)])
    share = max(1, len(cases) // args.rounds)
    chunks = {
        name: iter(cases[i : i + share] for i in range(0, share * args.rounds, share))
        for name in ("simulate", "simulate_for_net")
    }
    rng = random.Random(11)
    plans(rng, 1)  # warm the planner's per-month rule caches
    print(f"\n{args.rounds} alternated rounds, {share:,} cases per round and engine side:")
    figures = harness.alternate(
        {
            "simulate": lambda: forward(next(chunks["simulate"])),
            "simulate_for_net": lambda: reverse(next(chunks["simulate_for_net"])),
            "plan_protection": lambda: plans(rng),
        },
        args.rounds,
        unit={
            "simulate": "simulations/s",
            "simulate_for_net": "simulations/s",
            "plan_protection": "ms per plan",
        },
    )
    print()
    for name in ("simulate", "simulate_for_net"):
        print(f"  {name:<16} {harness.spread(figures[name]).text('simulations/s', 0)}")
    print(f"  plan_protection  {harness.spread(figures['plan_protection']).text('ms', 2)}")
    sims = harness.spread(figures["simulate"])
    harness.verdict(
        "simulate on one core, median of rounds",
        sims.median,
        unit="simulations/s",
        at_least=10_000,
        digits=0,
        detail=f"(min {sims.min:,.0f}, max {sims.max:,.0f})",
    )
    plan = harness.spread(figures["plan_protection"])
    harness.verdict(
        "plan_protection, 24 months, median of rounds",
        plan.median,
        unit="ms",
        at_most=50,
        digits=2,
        detail=f"(min {plan.min:.2f}, max {plan.max:.2f})",
    )
    return 0


if __name__ == "__main__":
    harness.run(main)
