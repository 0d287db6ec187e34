"""Contract proposals respect the minimum wage, duration limits and the balance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from common.errors import ValidationFailed
from common.money import Money
from tenants.labour_law.contracts import propose_contracts


def _by_code(proposals):
    return {p.contract_type: p for p in proposals}


def test_belgian_daily_contract_needs_three_hours_at_the_guaranteed_minimum(be):
    # 3 h × 12.8252 = 38.48 gross → employer cost 48.10 at 25 %; 40 EUR is not enough.
    proposals = _by_code(propose_contracts(be, balance=Money("40.00", "EUR"), on=date(2025, 3, 3)))
    daily = proposals["daily"]
    assert not daily.feasible
    assert daily.minimum_gross == Money("38.48", "EUR")
    assert "3" in daily.reasons[0]


def test_belgian_daily_contract_is_feasible_when_the_balance_covers_the_hours(be):
    proposals = _by_code(
        propose_contracts(be, balance=Money("200.00", "EUR"), on=date(2025, 3, 3), hours_wanted=8)
    )
    daily = proposals["daily"]
    assert daily.feasible
    assert daily.simulation.employer_cost <= Money("200.00", "EUR")
    assert daily.hours_payable >= Decimal(8)


def test_daily_contract_longer_than_a_day_is_refused(be):
    proposals = _by_code(
        propose_contracts(
            be, balance=Money("500.00", "EUR"), on=date(2025, 3, 3), end=date(2025, 3, 4)
        )
    )
    assert not proposals["daily"].feasible
    assert "at most 1 day" in proposals["daily"].reasons[0]


def test_german_minijob_proposal_is_capped_at_the_limit(de):
    proposals = _by_code(
        propose_contracts(de, balance=Money("2000.00", "EUR"), on=date(2026, 1, 1))
    )
    assert proposals["minijob"].simulation.gross == Money("603.00", "EUR")
    assert proposals["employment"].simulation.employer_cost <= Money("2000.00", "EUR")


def test_german_proposal_never_pays_below_the_minimum_wage(de):
    # 40 hours × 12.82 = 512.80 gross needed in 2025; 500 EUR of budget buys less.
    proposals = _by_code(
        propose_contracts(de, balance=Money("500.00", "EUR"), on=date(2025, 3, 1), hours_wanted=40)
    )
    employment = proposals["employment"]
    assert not employment.feasible
    assert employment.minimum_gross == Money("512.80", "EUR")
    assert employment.hours_payable < 40


def test_french_cape_pays_no_salary_and_lasts_at_most_36_months(fr):
    proposals = _by_code(
        propose_contracts(
            fr, balance=Money("1000.00", "EUR"), on=date(2025, 1, 1), end=date(2028, 6, 30)
        )
    )
    cape = proposals["cape"]
    assert cape.simulation is None
    assert not cape.feasible
    assert "36 month" in cape.reasons[0]


def test_swedish_proposal_has_no_minimum_wage_check(se):
    proposals = propose_contracts(se, balance=Money("20000.00", "SEK"), on=date(2025, 5, 1))
    assert proposals[0].hourly_minimum_wage is None
    assert proposals[0].hours_payable is None
    assert proposals[0].feasible


def test_proposals_reject_a_negative_balance(de):
    with pytest.raises(ValidationFailed, match="balance"):
        propose_contracts(de, balance=Money("-1.00", "EUR"), on=date(2025, 1, 1))
