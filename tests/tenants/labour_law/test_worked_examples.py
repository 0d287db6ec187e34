"""Worked examples per pack, figures checked by hand against the sources in the data files.

Each example states the rates in force, the arithmetic, and the rounding (half-up to the
cent). "Approximation" parameters (withholding) are the pack's documented approximations,
not official tax tables.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from common.money import Money
from tenants.labour_law.engine import hourly_minimum_wage, simulate
from tenants.labour_law.packs import load_pack

from .helpers import figures, simulate_month

# --------------------------------------------------------------------------- Germany


def test_germany_splits_a_2025_budget_by_the_published_rates(de):
    # Rates 2025 (SGB VI § 158, SGB III § 341, SGB V § 241/§ 242a, SGB XI § 55, BMG average
    # additional rate 2.5 %, insolvency levy 0.15 %): employer 9.3 + 1.3 + 7.3 + 1.25 + 1.8
    # + 0.15 = 21.10 %, employee 20.95 %. Gross = 3000 / 1.211 = 2477.29.
    # Employee 2477.29 × 0.2095 = 518.99; wage tax 0.25 × (2477.29 − 518.99 − 1008) = 237.58
    # (Grundfreibetrag 12,096 / 12 = 1,008).
    sim = simulate_month(de, "3000.00", 2025, 1)
    assert figures(sim) == ("2477.29", "522.71", "518.99", "237.58", "1720.72")
    assert sim.employer_cost == Money("3000.00", "EUR")


def test_germany_caps_contributions_at_the_2025_ceilings(de):
    # Beitragsbemessungsgrenzen 2025: pension/unemployment 8,050, health/care 5,512.50.
    # Employer: 8050 × (9.3 + 1.3 + 0.15) % + 5512.50 × (7.3 + 1.25 + 1.8) % = 865.375 +
    # 570.54375 = 1435.92, gross = 12000 − 1435.92 = 10564.08. Employee: 8050 × 10.6 % +
    # 5512.50 × 10.35 % = 1423.84. Tax 0.25 × (10564.08 − 1423.84 − 1008) = 2033.06.
    sim = simulate_month(de, "12000.00", 2025, 1)
    assert figures(sim) == ("10564.08", "1435.92", "1423.84", "2033.06", "7107.18")


def test_germany_multiplies_the_monthly_ceiling_by_the_months_of_the_period(de):
    # Three months of 12,000: three times the one-month example above.
    sim = simulate(
        de,
        amount=Money("36000.00", "EUR"),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
    )
    assert sim.gross == Money("31692.24", "EUR")
    assert sim.employee_contributions == Money("4271.53", "EUR")


def test_germany_minijob_at_the_2024_limit_costs_the_flat_rates(de):
    # Minijob 2024: limit 538 (SGB IV § 8); employer flat pension 15 % + health 13 % + flat
    # tax 2 % + insolvency 0.06 % = 30.06 %: 538 × 1.3006 = 699.7228 → cost 699.72. The
    # employee tops the pension up by 3.6 %: 538 × 0.036 = 19.368 → 19.37; no wage tax.
    sim = simulate_month(de, "699.72", 2024, 6, contract_type="minijob")
    assert figures(sim) == ("538.00", "161.72", "19.37", "0.00", "518.63")


# --------------------------------------------------------------------------- Belgium


def test_belgium_takes_25_percent_employer_and_13_07_percent_employee_onss(be):
    # ONSS: employer basic rate 25 %, employee 13.07 %. Gross = 1250 / 1.25 = 1000.00;
    # employee 130.70; withholding base 869.30 − 880 < 0, so none.
    sim = simulate_month(be, "1250.00", 2025, 3)
    assert figures(sim) == ("1000.00", "250.00", "130.70", "0.00", "869.30")


def test_belgium_applies_the_withholding_approximation_above_the_allowance(be):
    # 3000 / 1.25 = 2400; ONSS 2400 × 13.07 % = 313.68; withholding 30 % × (2400 − 313.68 −
    # 880) = 0.3 × 1206.32 = 361.896 → 361.90.
    sim = simulate_month(be, "3000.00", 2025, 3)
    assert figures(sim) == ("2400.00", "600.00", "313.68", "361.90", "1724.42")


def test_belgium_hourly_guaranteed_minimum_matches_the_published_38_hour_figure(be):
    # GMMI from 2025-02-01: 2,111.89 a month (CCT n° 43; salairesminimums.be publishes
    # 12.8252 per hour for 38 h): 2111.89 × 12 / (38 × 52) = 12.82524...
    wage = hourly_minimum_wage(be, date(2025, 3, 1))
    assert wage.quantize(Decimal("0.0001")) == Decimal("12.8252")


# --------------------------------------------------------------------------- France


def test_france_cesa_salary_below_the_ceiling(fr):
    # Employer 27.6 % uncapped + 14.56 % capped at the PMSS (3,925 in 2025) = 42.16 %:
    # gross = 3000 / 1.4216 = 2110.30. Employee 0.40 % + 10.91 % + CSG/CRDS 9.70 % × 98.25 %
    # = 20.84025 % → 439.79. Tax 11 % × (2110.30 − 439.79 − 1620) = 5.5561 → 5.56.
    sim = simulate_month(fr, "3000.00", 2025, 1)
    assert figures(sim) == ("2110.30", "889.70", "439.79", "5.56", "1664.95")


def test_france_caps_old_age_and_agirc_arrco_at_the_pmss(fr):
    # 2026 PMSS 4,005. Employer = 0.276 g + 0.1456 × 4005 = 0.276 g + 583.128, so
    # g = (10000 − 583.128) / 1.276 = 7379.99 (cost 7379.99 + 2036.88 + 583.13 = 10000.00).
    sim = simulate_month(fr, "10000.00", 2026, 1)
    assert sim.gross == Money("7379.99", "EUR")
    # Employee: 0.4 % × 7379.99 + 10.91 % × 4005 + 9.53025 % × 7379.99 = 29.52 + 436.95 +
    # 703.33 = 1169.80.
    assert sim.employee_contributions == Money("1169.80", "EUR")


def test_france_smic_is_12_02_per_hour_in_2026(fr):
    # service-public.fr F2300: 12.02 EUR from 2026-01-01.
    assert hourly_minimum_wage(fr, date(2026, 1, 1)) == Decimal("12.02")


# --------------------------------------------------------------------------- Italy


def test_italy_splits_a_budget_with_the_approximate_employer_rate(it):
    # 30 % employer (approximation), 9.19 % employee (INPS): gross = 3000 / 1.3 = 2307.69;
    # employee 212.08; tax 25 % × (2307.69 − 212.08 − 708.33) = 346.82.
    sim = simulate_month(it, "3000.00", 2025, 1)
    assert figures(sim) == ("2307.69", "692.31", "212.08", "346.82", "1748.79")


def test_italy_caps_contributions_at_the_massimale(it):
    # Massimale 2025: 120,607 / 12 = 10,050.58 a month (INPS circ. 26/2025). Employer
    # 0.30 × 10050.58 = 3015.17 → gross 16984.83; employee 0.0919 × 10050.58 = 923.65.
    sim = simulate_month(it, "20000.00", 2025, 1)
    assert sim.gross == Money("16984.83", "EUR")
    assert sim.employee_contributions == Money("923.65", "EUR")


def test_italy_has_no_statutory_minimum_wage(it):
    assert hourly_minimum_wage(it, date(2025, 1, 1)) is None


# --------------------------------------------------------------------------- Spain


def test_spain_fixed_term_contract_uses_the_temporary_unemployment_rate(es):
    # 2025: employer 23.60 + 6.70 + 0.20 + 0.60 + MEI 0.67 = 31.77 % → 3000 / 1.3177 =
    # 2276.69 (cost 2999.99, one cent unallocated); employee 4.70 + 1.60 + 0.10 + 0.13 =
    # 6.53 % → 148.67; IRPF 15 % × (2276.69 − 148.67 − 462.50) = 249.83.
    sim = simulate_month(es, "3000.00", 2025, 1)
    assert figures(sim) == ("2276.69", "723.30", "148.67", "249.83", "1878.19")
    assert sim.unallocated == Money("0.01", "EUR")


def test_spain_caps_contributions_at_the_maximum_base(es):
    # Base máxima 2026: 5,101.20; employer 2026 rate 31.85 % → 1624.73 on the cap;
    # gross = 10000 − 1624.73 = 8375.27.
    sim = simulate_month(es, "10000.00", 2026, 3)
    assert sim.gross == Money("8375.27", "EUR")
    assert sim.employer_contributions == Money("1624.73", "EUR")


def test_spain_hourly_minimum_wage_derives_from_the_annual_smi(es):
    # SMI 2026 (RD 126/2026): 1,221 × 14 = 17,094 a year / 1,826 hours = 9.3614.
    wage = hourly_minimum_wage(es, date(2026, 2, 1))
    assert wage.quantize(Decimal("0.0001")) == Decimal("9.3614")


# --------------------------------------------------------------------------- Austria


def test_austria_adds_payroll_taxes_and_severance_fund_to_social_insurance(at):
    # 2025: employer 20.98 % + payroll taxes 7.06 % + BV 1.53 % = 29.57 % → 3000 / 1.2957 =
    # 2315.35; employee 18.07 % = 418.38; tax 25 % × (2315.35 − 418.38 − 1100) = 199.24.
    sim = simulate_month(at, "3000.00", 2025, 1)
    assert figures(sim) == ("2315.35", "684.65", "418.38", "199.24", "1697.73")


def test_austria_marginal_employment_at_the_limit_costs_accident_insurance_and_bv(at):
    # Geringfügigkeitsgrenze 2025: 551.10; employer 1.10 % + 1.53 % = 2.63 % → 14.49.
    sim = simulate_month(at, "565.59", 2025, 1, contract_type="marginal")
    assert figures(sim) == ("551.10", "14.49", "0.00", "0.00", "551.10")


def test_austria_caps_social_insurance_at_the_2026_maximum_base(at):
    # HBGL 2026: 6,930. Employer = 0.2098 × 6930 + 0.0859 g; 12000 − 1453.91 = 10546.09 /
    # 1.0859 = 9711.84.
    sim = simulate_month(at, "12000.00", 2026, 1)
    assert sim.gross == Money("9711.84", "EUR")
    assert sim.employee_contributions == Money("1252.25", "EUR")  # 0.1807 × 6930


# --------------------------------------------------------------------------- Sweden


def test_sweden_charges_the_31_42_percent_employer_fee(se):
    # Socialavgiftslag 2:26: 31.42 %. 10000 / 1.3142 = 7609.19; fee 2390.81; preliminary
    # tax approximation 30 % × 7609.19 = 2282.757 → 2282.76.
    sim = simulate_month(se, "10000.00", 2025, 1)
    assert figures(sim) == ("7609.19", "2390.81", "0.00", "2282.76", "5326.43")
    assert sim.currency == "SEK"


def test_sweden_shows_no_employee_contribution_lines(se):
    sim = simulate_month(se, "10000.00", 2025, 1)
    assert [line.kind for line in sim.lines] == ["employer", "withholding"]


def test_sweden_has_no_statutory_minimum_wage(se):
    assert hourly_minimum_wage(se, date(2026, 1, 1)) is None


# --------------------------------------------------------------------------- generic


def _overrides(currency: str, employer: str, employee: str, tax: str, wage: str):
    rows = [
        ("employer_contribution_rate", employer, "fraction"),
        ("employee_contribution_rate", employee, "fraction"),
        ("income_tax_rate", tax, "fraction"),
        ("minimum_wage_hourly", wage, f"{currency}/hour"),
    ]
    return [
        {
            "name": name,
            "value": value,
            "unit": unit,
            "effective_from": "2024-01-01",
            "source": "Partner's own figures",
        }
        for name, value, unit in rows
    ]


def test_generic_pack_computes_with_partner_supplied_usd_values():
    # FICA 7.65 % each side (partner's figures), 15 % withholding: 1076.50 / 1.0765 =
    # 1000.00; employee 76.50; tax 0.15 × 923.50 = 138.525 → 138.53; net 784.97.
    pack = load_pack(
        "generic", currency="USD", overrides=_overrides("USD", "0.0765", "0.0765", "0.15", "7.25")
    )
    sim = simulate_month(pack, "1076.50", 2025, 1)
    assert figures(sim) == ("1000.00", "76.50", "76.50", "138.53", "784.97")


def test_generic_pack_rounds_won_to_whole_units():
    pack = load_pack(
        "generic", currency="KRW", overrides=_overrides("KRW", "0.10", "0.09", "0.05", "10030")
    )
    sim = simulate_month(pack, "1100000", 2025, 1)
    assert figures(sim) == ("1000000", "100000", "90000", "45500", "864500")
