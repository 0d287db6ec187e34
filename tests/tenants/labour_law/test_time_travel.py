"""The same input on dates either side of a parameter change gives the two results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from common.errors import RuleNotFound
from common.money import Money
from tenants.labour_law.engine import hourly_minimum_wage, simulate

from .helpers import simulate_month


def test_germany_minijob_limit_moves_from_538_to_556_on_new_year(de):
    assert de.value("minijob_limit", date(2024, 12, 31)) == Decimal("538.00")
    assert de.value("minijob_limit", date(2025, 1, 1)) == Decimal("556.00")


def test_germany_keeps_the_historical_400_euro_threshold(de):
    assert de.value("minijob_limit", date(2012, 12, 31)) == Decimal("400.00")
    assert de.value("minijob_limit", date(2013, 1, 1)) == Decimal("450.00")
    assert de.value("minijob_limit", date(2026, 1, 1)) == Decimal("603.00")


def test_germany_minimum_wage_changes_each_year(de):
    assert hourly_minimum_wage(de, date(2024, 12, 31)) == Decimal("12.41")
    assert hourly_minimum_wage(de, date(2025, 1, 1)) == Decimal("12.82")
    assert hourly_minimum_wage(de, date(2026, 1, 1)) == Decimal("13.90")
    assert hourly_minimum_wage(de, date(2014, 6, 1)) is None


def test_germany_same_budget_gives_more_gross_in_2024_than_in_2025(de):
    # 2024 employer rate 20.51 % (additional 1.7 %, care 3.4 %, insolvency 0.06 %):
    # 3000 / 1.2051 = 2489.42; 2025 at 21.10 %: 2477.29.
    assert simulate_month(de, "3000.00", 2024, 12).gross == Money("2489.42", "EUR")
    assert simulate_month(de, "3000.00", 2025, 1).gross == Money("2477.29", "EUR")


def test_germany_minijob_over_the_2024_limit_is_refused_but_fits_in_2025(de):
    from common.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="minijob_limit"):
        simulate_month(de, "720.00", 2024, 12, contract_type="minijob")
    assert simulate_month(de, "720.00", 2025, 1, contract_type="minijob").gross.amount <= 556


def test_france_smic_rises_on_1_november_2024(fr):
    assert hourly_minimum_wage(fr, date(2024, 10, 31)) == Decimal("11.65")
    assert hourly_minimum_wage(fr, date(2024, 11, 1)) == Decimal("11.88")


def test_france_higher_pmss_in_2026_raises_capped_contributions(fr):
    # Above the ceiling, the capped employer part is 14.56 % × PMSS: 571.48 in 2025 (3,925),
    # gross = (10000 − 571.48) / 1.276 = 7389.12; 583.13 in 2026 (4,005), gross 7379.99.
    late_2025 = simulate_month(fr, "10000.00", 2025, 12)
    early_2026 = simulate_month(fr, "10000.00", 2026, 1)
    assert late_2025.gross == Money("7389.12", "EUR")
    assert early_2026.gross == Money("7379.99", "EUR")


def test_belgium_guaranteed_minimum_indexed_on_1_may_2024(be):
    assert be.value("minimum_wage_monthly", date(2024, 4, 30)) == Decimal("2029.88")
    assert be.value("minimum_wage_monthly", date(2024, 5, 1)) == Decimal("2070.48")


def test_spain_mei_rises_on_new_year(es):
    # Employer 31.77 % in 2025 and 31.85 % in 2026 (MEI 0.67 → 0.75).
    assert simulate_month(es, "3000.00", 2025, 12).gross == Money("2276.69", "EUR")
    assert simulate_month(es, "3000.00", 2026, 1).gross == Money("2275.31", "EUR")


def test_austria_employee_rate_drops_in_2025(at):
    assert at.value("employee_social_insurance_rate", date(2024, 12, 31)) == Decimal("0.1812")
    assert at.value("employee_social_insurance_rate", date(2025, 1, 1)) == Decimal("0.1807")


def test_simulation_records_pack_version_and_as_of(de):
    sim = simulate_month(de, "3000.00", 2025, 1)
    data = sim.to_dict()
    assert data["pack_version"] == de.version
    assert data["as_of"] == "2025-01-01"
    assert set(data) >= {
        "gross",
        "net",
        "employer_cost",
        "employer_contributions",
        "employee_contributions",
        "withholding",
        "lines",
        "pack_version",
        "as_of",
        "currency",
    }


def test_simulation_before_the_pack_covers_the_date_raises_rule_not_found(de):
    with pytest.raises(RuleNotFound) as error:
        simulate(
            de,
            amount=Money("1000.00", "EUR"),
            period_start=date(2012, 1, 1),
            period_end=date(2012, 1, 31),
        )
    assert error.value.extra["date"] == "2012-01-01"
    assert error.value.extra["parameter"] in str(error.value)
