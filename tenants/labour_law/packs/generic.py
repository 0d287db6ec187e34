"""Generic pack for Academy tenants outside the federation's countries (USA, Chile, South
Korea...). It holds no figure: the partner supplies every parameter as an override, in
its own currency, before the pack can be used::

    load_pack("generic", currency="USD", overrides=[
        {"name": "employer_contribution_rate", "value": "0.0765", "unit": "fraction",
         "effective_from": "2024-01-01", "source": "https://www.irs.gov/..."},
        ...
    ])

Loading it without them raises ``RulePackInvalid`` listing the missing parameters. A
``minimum_wage_hourly`` of 0 means there is no statutory minimum wage.
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
COUNTRY = None
CURRENCY = None
PARTNER_SUPPLIED = True

SCHEMES = {
    "default": Scheme(
        employer=(Contribution("Employer contributions", "employer_contribution_rate"),),
        employee=(Contribution("Employee contributions", "employee_contribution_rate"),),
        withholding=Withholding("Income tax withholding", "income_tax_rate"),
    ),
}

CONTRACT_TYPES = (
    ContractType(
        code="employment",
        label="Employment, paid by the month",
        unit="month",
        source="Set by the partner",
    ),
)
DEFAULT_CONTRACT = "employment"

PROTECTION = ProtectionRule(
    kind=NO_PROTECTION_RULE,
    description="No monthly protection rule: the generic pack knows none.",
)

PARAMETERS = parameters_of(SCHEMES, PROTECTION, ("minimum_wage_hourly",))


def hourly_minimum_wage(value: Callable[[str], Decimal]) -> Decimal | None:
    """The partner-supplied hourly minimum wage; 0 means none."""
    wage = value("minimum_wage_hourly")
    return wage if wage > 0 else None
