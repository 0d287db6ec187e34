"""Protection planning: Germany's monthly threshold rule, optimal against an independent
brute force."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import ValidationFailed
from common.money import Money
from tenants.labour_law.engine import employer_cost_for_gross, hourly_minimum_wage
from tenants.labour_law.packs import get_pack
from tenants.labour_law.planner import plan_protection, protection_rule, protection_status


def eur(values):
    return [Money(Decimal(v), "EUR") for v in values]


# --- An oracle written from the rule's definition -------------------------------------
# It shares nothing with tenants/labour_law/planner.py: months, thresholds, the counting
# of runs and the search are written here again. Only what the rule takes as given comes
# from elsewhere: the threshold and the minimum wage in force (pack data) and the employer
# cost of a gross salary (the engine, tested on its own).

CENT = Decimal("0.01")


def _month_firsts(start, count):
    return [
        date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        for i in range(count)
    ]


def _last_day(first):
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _counted_by_definition(at_threshold, run):
    """Indexes of the months at or above the threshold inside a run of at least ``run``
    consecutive such months."""
    counted, m, n = [], 0, len(at_threshold)
    while m < n:
        end = m
        while end < n and at_threshold[end]:
            end += 1
        if end - m >= run:
            counted.extend(range(m, end))
        m = max(end, m + 1)
    return counted


def _oracle(pack, start, incomes, opening, hours, run):
    """The most months any plan can count, by trying every set of months paid at or above
    the threshold, each month at the least it may cost: the threshold (or the declared
    hours' minimum wage, if higher) for a month of the set, the hours' minimum wage alone
    otherwise. A set is possible when, every month, what was paid so far is covered by the
    opening balance and the incomes so far. None when no set is possible."""
    firsts = _month_firsts(start, len(incomes))
    thresholds, at_cost, off_cost, always = [], [], [], []
    for m, first in enumerate(firsts):
        threshold = pack.value("minijob_limit", first)
        wage = hourly_minimum_wage(pack, first)
        for_hours = (Decimal(hours[m]) * wage).quantize(CENT, rounding=ROUND_CEILING)

        def cost(gross, first=first):
            return employer_cost_for_gross(
                pack,
                gross=Money(gross, "EUR"),
                period_start=first,
                period_end=_last_day(first),
            ).amount

        thresholds.append(threshold)
        at_cost.append(cost(max(threshold, for_hours)))
        off_cost.append(cost(for_hours) if for_hours > 0 else Decimal(0))
        always.append(for_hours >= threshold)  # its hours alone reach the threshold
    best = None
    for paid_at_threshold in itertools.product((False, True), repeat=len(incomes)):
        if any(always[m] and not paid_at_threshold[m] for m in range(len(incomes))):
            continue
        costs = [at_cost[m] if p else off_cost[m] for m, p in enumerate(paid_at_threshold)]
        if all(sum(costs[: m + 1]) <= opening + sum(incomes[: m + 1]) for m in range(len(incomes))):
            score = len(_counted_by_definition(paid_at_threshold, run))
            best = score if best is None else max(best, score)
    return best, firsts, thresholds


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
    best, firsts, thresholds = _oracle(pack, start, money, Decimal(opening), declared, run)
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
    labels = [f"{first:%Y-%m}" for first in firsts]
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
        # As many counted months as the best of all possible plans...
        assert len(plan.protected_months) == best
        # ...which are the months its own gross counts, by the rule's definition...
        assert list(plan.months) == labels
        at_threshold = [g.amount >= t for g, t in zip(plan.gross, thresholds, strict=True)]
        counted = _counted_by_definition(at_threshold, run)
        assert list(plan.protected_months) == [labels[m] for m in counted]
        # ...with every month covered by the money so far and paying the declared hours.
        for m in range(len(money)):
            paid = sum(p.amount for p in plan.payouts[: m + 1])
            assert paid <= Decimal(opening) + sum(money[: m + 1])
            wage = hourly_minimum_wage(pack, firsts[m])
            assert plan.gross[m].amount >= Decimal(declared[m]) * wage - CENT


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
