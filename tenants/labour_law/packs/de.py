"""Germany: monthly pay, social insurance split half/half under contribution ceilings
(Beitragsbemessungsgrenzen), the Minijob (geringfügig entlohnte Beschäftigung) below the
marginal-employment limit, and the partner's protection rule: gross at or above that
limit in enough consecutive months.

Simplifications (say them when showing results): the employee is assumed to have children
(no 0.6 % childless surcharge on long-term care), in a western Land for 2024 ceilings, in
a health fund charging the average additional rate; U1/U2 levies and accident insurance
(set per employer) are left out; the transition zone (Übergangsbereich/Midijob, reduced
employee contributions up to 2,000 EUR) is not modelled, so employee contributions are
overstated there; wage tax is a flat approximation (see ``income_tax_rate``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tenants.labour_law.packs.base import (
    HALF,
    MONTHLY_THRESHOLD,
    ContractType,
    Contribution,
    ProtectionRule,
    Scheme,
    Withholding,
    parameters_of,
)

VERSION = "1"
COUNTRY = "DE"
CURRENCY = "EUR"

_WAGE_TAX = Withholding(
    "Wage tax (approximation)", "income_tax_rate", allowance="income_tax_monthly_allowance"
)

SCHEMES = {
    "default": Scheme(
        employer=(
            Contribution("Pension insurance", "pension_rate", HALF, "pension_ceiling"),
            Contribution("Unemployment insurance", "unemployment_rate", HALF, "pension_ceiling"),
            Contribution("Health insurance", "health_rate", HALF, "health_ceiling"),
            Contribution(
                "Health insurance, additional rate",
                "health_additional_rate",
                HALF,
                "health_ceiling",
            ),
            Contribution("Long-term care insurance", "care_rate", HALF, "health_ceiling"),
            Contribution("Insolvency levy", "insolvency_levy_rate", ceiling="pension_ceiling"),
        ),
        employee=(
            Contribution("Pension insurance", "pension_rate", HALF, "pension_ceiling"),
            Contribution("Unemployment insurance", "unemployment_rate", HALF, "pension_ceiling"),
            Contribution("Health insurance", "health_rate", HALF, "health_ceiling"),
            Contribution(
                "Health insurance, additional rate",
                "health_additional_rate",
                HALF,
                "health_ceiling",
            ),
            Contribution("Long-term care insurance", "care_rate", HALF, "health_ceiling"),
        ),
        withholding=_WAGE_TAX,
    ),
    # Minijob: the employer pays flat-rate pension and health contributions and the 2 %
    # flat wage tax; the employee tops the pension up to the full rate (opt-out possible).
    "minijob": Scheme(
        employer=(
            Contribution("Pension insurance, flat rate", "minijob_employer_pension_rate"),
            Contribution("Health insurance, flat rate", "minijob_employer_health_rate"),
            Contribution("Flat-rate wage tax", "minijob_flat_tax_rate"),
            Contribution("Insolvency levy", "insolvency_levy_rate"),
        ),
        employee=(Contribution("Pension insurance top-up", "minijob_employee_pension_rate"),),
        withholding=None,
        gross_ceiling="minijob_limit",
    ),
}

CONTRACT_TYPES = (
    ContractType(
        code="employment",
        label="Employment subject to social insurance (sozialversicherungspflichtige "
        "Beschäftigung), paid by the month",
        unit="month",
        source="SGB IV § 7; partner practice: monthly pay periods",
    ),
    ContractType(
        code="minijob",
        label="Marginal employment (Minijob), gross at most the marginal-employment limit",
        unit="month",
        scheme="minijob",
        source="https://www.gesetze-im-internet.de/sgb_4/__8.html",
        note="Does not count towards the protection threshold.",
    ),
)
DEFAULT_CONTRACT = "employment"

PROTECTION = ProtectionRule(
    kind=MONTHLY_THRESHOLD,
    description=(
        "A member is protected from the month their gross pay reaches the marginal-"
        "employment limit, held for at least the required number of consecutive months "
        "(the German partner's rule; 400 EUR when it was set)."
    ),
    threshold="minijob_limit",
    min_run="protection_min_consecutive_months",
)

PARAMETERS = parameters_of(SCHEMES, PROTECTION, ("minimum_wage_hourly",))


def hourly_minimum_wage(value: Callable[[str], Decimal]) -> Decimal | None:
    """Statutory minimum wage per hour (MiLoG); 0 before 2015 means there was none."""
    wage = value("minimum_wage_hourly")
    return wage if wage > 0 else None
