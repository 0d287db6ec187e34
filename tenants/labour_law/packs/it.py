"""Italy: employer and employee INPS contributions with the annual contribution ceiling
(massimale, for members first insured after 1995) spread over months; fixed-term
(tempo determinato) and on-call (intermittente) contracts.

Italy has NO statutory minimum wage: pay floors come from national collective agreements
(CCNL), so ``hourly_minimum_wage`` returns None. Simplifications: the employer rate is an
average for a services firm; the extra 1 % employee contribution above the first pension
band is not modelled; IRPEF withholding is a flat approximation.
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
COUNTRY = "IT"
CURRENCY = "EUR"

SCHEMES = {
    "default": Scheme(
        employer=(
            Contribution(
                "Employer INPS contributions (approximation)",
                "employer_rate",
                ceiling="contribution_ceiling",
            ),
        ),
        employee=(
            Contribution(
                "Employee INPS contributions", "employee_rate", ceiling="contribution_ceiling"
            ),
        ),
        withholding=Withholding(
            "IRPEF withholding (approximation)",
            "income_tax_rate",
            allowance="income_tax_monthly_allowance",
        ),
    ),
}

CONTRACT_TYPES = (
    ContractType(
        code="fixed_term",
        label="Fixed-term employment (contratto a tempo determinato)",
        unit="assignment",
        max_duration_months=12,
        source="D.Lgs. 81/2015, art. 19 (12 months without a stated reason, 24 with one)",
    ),
    ContractType(
        code="intermittent",
        label="On-call employment (lavoro intermittente)",
        unit="day",
        max_duration_days=1,
        source="D.Lgs. 81/2015, art. 13-18 (at most 400 days over 3 years per employer)",
    ),
)
DEFAULT_CONTRACT = "fixed_term"

PROTECTION = ProtectionRule(
    kind=NO_PROTECTION_RULE,
    description="No monthly protection rule implemented for Italy.",
)

PARAMETERS = parameters_of(SCHEMES, PROTECTION)


def hourly_minimum_wage(value: Callable[[str], Decimal]) -> Decimal | None:
    """None: Italy has no statutory minimum wage (collective agreements set pay floors)."""
    return None
