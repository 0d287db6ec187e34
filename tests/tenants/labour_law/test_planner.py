"""Protection planning: Germany's monthly threshold rule, optimal against brute force."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import ValidationFailed
from common.money import Money
from common.months import month_end, month_starts
from tenants.labour_law.engine import employer_cost_for_gross, hourly_minimum_wage
from tenants.labour_law.packs import get_pack
from tenants.labour_law.planner import (
    _score,
    plan_protection,
    protection_rule,
    protection_status,
)


def eur(values):
    return [Money(Decimal(v), "EUR") for v in values]


def _brute_force(pack, start, incomes, opening, hours, run):
    """Best score over every set of months paid at the threshold (minimal payouts)."""
    firsts = month_starts(start, len(incomes))
    mandatory, protect, forced = [], [], []
    for m, first in enumerate(firsts):
        threshold = pack.value("minijob_limit", first)
        wage = hourly_minimum_wage(pack, first)
        floor = (Decimal(hours[m]) * wage).quantize(Decimal("0.01"), rounding="ROUND_CEILING")
        target = max(threshold, floor)

        def cost(gross, first=first):
            return employer_cost_for_gross(
                pack,
                gross=Money(gross, "EUR"),
                period_start=first,
                period_end=month_end(first),
            ).amount

        mandatory.append(cost(floor) if floor > 0 else Decimal(0))
        protect.append(cost(target))
        forced.append(floor >= threshold)
    best = None
    for choice in itertools.product((False, True), repeat=len(incomes)):
        if any(forced[m] and not choice[m] for m in range(len(incomes))):
            continue
        available, spent, ok = opening, Decimal(0), True
        for m, chosen in enumerate(choice):
            available += incomes[m]
            spent += protect[m] if chosen else mandatory[m]
            if spent > available:
                ok = False
                break
        if ok:
            score = _score(choice, run)
            best = score if best is None or score > best else best
    return best


def _check_feasible(plan, incomes, opening):
    available = opening
    spent = Decimal(0)
    for m, payout in enumerate(plan.payouts):
        available += incomes[m]
        spent += payout.amount
        assert spent <= available


@settings(max_examples=60, deadline=None)
@given(
    incomes=st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=8),
    opening=st.integers(min_value=0, max_value=1500),
    hours=st.lists(st.sampled_from([0, 0, 0, 10, 30, 50]), min_size=8, max_size=8),
    run=st.integers(min_value=1, max_value=4),
    start_month=st.integers(min_value=1, max_value=12),
)
def test_plan_is_as_good_as_brute_force_search(incomes, opening, hours, run, start_month):
    pack = get_pack("de")
    start = date(2025, start_month, 1)
    money = [Decimal(i) for i in incomes]
    declared = hours[: len(incomes)]
    best = _brute_force(pack, start, money, Decimal(opening), declared, run)
    if best is None:
        with pytest.raises(ValidationFailed):
            plan_protection(
                pack,
                start=start,
                incomes=eur(money),
                opening_balance=Money(opening, "EUR"),
                hours=declared,
                min_consecutive_months=run,
            )
        return
    for leftover in ("keep", "spread", "last_month"):
        plan = plan_protection(
            pack,
            start=start,
            incomes=eur(money),
            opening_balance=Money(opening, "EUR"),
            hours=declared,
            min_consecutive_months=run,
            leftover=leftover,
        )
        assert len(plan.protected_months) == best
        _check_feasible(plan, money, Decimal(opening))
        for m, gross in enumerate(plan.gross):
            wage = hourly_minimum_wage(pack, month_starts(start, len(money))[m])
            assert gross.amount >= Decimal(declared[m]) * wage - Decimal("0.01")


def test_plan_protects_four_months_from_one_large_invoice():
    # 2025: threshold 556 gross, employer cost 556 × 1.211 = 673.32 (673.316 → 673.32).
    # 3,000 in January covers four months (2,693.28) and no more; the rest is spread.
    pack = get_pack("de")
    plan = plan_protection(
        pack, start=date(2025, 1, 1), incomes=eur(["3000", "0", "0", "0", "0", "0"])
    )
    # Which four consecutive months is a tie; the count is what the plan guarantees.
    assert len(plan.protected_months) == 4
    assert plan.threshold == Money("556.00", "EUR")
    assert plan.min_consecutive_months == 4
    assert sum((p.amount for p in plan.payouts), Decimal(0)) == Decimal("3000")


def test_plan_does_not_count_a_run_shorter_than_required():
    pack = get_pack("de")
    plan = plan_protection(pack, start=date(2025, 1, 1), incomes=eur(["2000", "0", "0", "0"]))
    assert plan.protected_months == ()


def test_plan_uses_the_historical_400_euro_threshold_as_data(de):
    assert protection_rule(de, date(2012, 6, 1)).values["minijob_limit"] == Decimal("400.00")


def test_plan_keeps_leftover_when_asked():
    pack = get_pack("de")
    plan = plan_protection(
        pack, start=date(2025, 1, 1), incomes=eur(["5000", "0", "0", "0"]), leftover="keep"
    )
    assert plan.carried_forward == Money("2306.72", "EUR")  # 5000 − 4 × 673.32


def test_plan_refuses_a_pack_without_monthly_rule(be):
    with pytest.raises(ValidationFailed, match="no monthly protection rule"):
        plan_protection(be, start=date(2025, 1, 1), incomes=eur(["1000"]))


def test_plan_refuses_when_money_cannot_pay_declared_hours():
    pack = get_pack("de")
    with pytest.raises(ValidationFailed, match="2025-01"):
        plan_protection(pack, start=date(2025, 1, 1), incomes=eur(["10"]), hours=[20])


def test_french_intermittent_is_protected_with_507_hours_over_12_months(fr):
    status = protection_status(fr, start=date(2025, 1, 1), hours=[43] * 12)  # 516 hours
    assert status.protected
    assert status.required_hours == Decimal(507)


def test_french_intermittent_with_too_few_hours_is_not_protected(fr):
    status = protection_status(fr, start=date(2025, 1, 1), hours=[42] * 12)  # 504 hours
    assert status.protected is False


def test_packs_without_a_rule_say_so(se):
    status = protection_status(se, start=date(2025, 1, 1))
    assert status.kind == "none"
    assert status.protected is None
    assert "No monthly protection rule" in status.message


def test_german_status_counts_months_in_long_enough_runs(de):
    gross = eur(["600", "600", "600", "600", "100", "600"])
    status = protection_status(de, start=date(2025, 1, 1), gross=gross)
    assert status.protected_months == ("2025-01", "2025-02", "2025-03", "2025-04")
    assert status.protected is False
