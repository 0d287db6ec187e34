"""Sweden: the employer pays the employer fee (arbetsgivaravgift) on the whole gross; the
employee's general pension fee is offset by a tax reduction, so no employee contribution
line is shown; preliminary tax (preliminär skatt) is a flat approximation of the municipal
tax tables. Members are employed per assignment (särskild visstidsanställning).

Sweden has NO statutory minimum wage (pay floors come from collective agreements), so
``hourly_minimum_wage`` returns None. Age-based fee reductions are not modelled.
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
COUNTRY = "SE"
CURRENCY = "SEK"

SCHEMES = {
    "default": Scheme(
        employer=(Contribution("Employer fee (arbetsgivaravgift)", "employer_fee_rate"),),
        employee=(),
        withholding=Withholding("Preliminary tax (approximation)", "income_tax_rate"),
    ),
}

CONTRACT_TYPES = (
    ContractType(
        code="assignment",
        label="Employment per assignment (särskild visstidsanställning)",
        unit="assignment",
        max_duration_months=12,
        source="Lag (1982:80) om anställningsskydd, 5 § and 5 a §",
        note="Becomes permanent after more than 12 months within five years.",
    ),
)
DEFAULT_CONTRACT = "assignment"

PROTECTION = ProtectionRule(
    kind=NO_PROTECTION_RULE,
    description="No monthly protection rule implemented for Sweden.",
)

PARAMETERS = parameters_of(SCHEMES, PROTECTION)


def hourly_minimum_wage(value: Callable[[str], Decimal]) -> Decimal | None:
    """None: Sweden has no statutory minimum wage (collective agreements set pay floors)."""
    return None
