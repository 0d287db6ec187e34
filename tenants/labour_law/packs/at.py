"""Austria: social insurance (ASVG) on gross up to the monthly maximum contribution base
(Höchstbeitragsgrundlage), plus employer payroll taxes and the severance fund (BV) on the
whole gross; marginal employment (geringfügige Beschäftigung) up to the marginal limit
carries only accident insurance and BV for the employer.

Austria has NO statutory minimum wage (collective agreements cover almost every job), so
``hourly_minimum_wage`` returns None. Simplifications: white-collar rates, Vienna's
employer surcharge (DZ), no reduced unemployment contribution for low incomes, special
payments (13th/14th salary) not modelled; wage tax is a flat approximation.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tenants.labour_law.packs.base import (
    NO_PROTECTION_RULE,
    ContractType,
    Contribution,
    ProtectionRule,
    Scheme,
    Withholding,
    parameters_of,
)

VERSION = "1"
COUNTRY = "AT"
CURRENCY = "EUR"

_CAP = "contribution_ceiling"

SCHEMES = {
    "default": Scheme(
        employer=(
            Contribution(
                "Employer social insurance", "employer_social_insurance_rate", ceiling=_CAP
            ),
            Contribution("Payroll taxes (DB, DZ, Kommunalsteuer)", "employer_payroll_tax_rate"),
            Contribution("Severance fund (BV)", "severance_fund_rate"),
        ),
        employee=(
            Contribution(
                "Employee social insurance", "employee_social_insurance_rate", ceiling=_CAP
            ),
        ),
        withholding=Withholding(
            "Wage tax (approximation)", "income_tax_rate", allowance="income_tax_monthly_allowance"
        ),
    ),
    "marginal": Scheme(
        employer=(
            Contribution("Accident insurance", "accident_insurance_rate"),
            Contribution("Severance fund (BV)", "severance_fund_rate"),
        ),
        employee=(),
        withholding=None,
        gross_ceiling="marginal_limit",
    ),
}

CONTRACT_TYPES = (
    ContractType(
        code="fixed_term",
        label="Fixed-term employment (befristetes Dienstverhältnis)",
        unit="assignment",
        source="Angestelltengesetz § 19; ASVG § 4",
    ),
    ContractType(
        code="marginal",
        label="Marginal employment (geringfügige Beschäftigung), gross at most the limit",
        unit="month",
        scheme="marginal",
        source="ASVG § 5 Abs. 2",
    ),
)
DEFAULT_CONTRACT = "fixed_term"

PROTECTION = ProtectionRule(
    kind=NO_PROTECTION_RULE,
    description=(
        "No monthly protection rule implemented for Austria; employment above the marginal "
        "limit is fully insured from the first day."
    ),
)

PARAMETERS = parameters_of(SCHEMES, PROTECTION)


def hourly_minimum_wage(value: Callable[[str], Decimal]) -> Decimal | None:
    """None: Austria has no statutory minimum wage (collective agreements set pay floors)."""
    return None
