"""Spain: general-regime social security on the contribution base capped at the maximum
base (base máxima), with a higher unemployment rate for temporary contracts and the
intergenerational equity mechanism (MEI) rising each year; fixed-term contracts for
production circumstances and fixed-discontinuous contracts. The minimum wage (SMI) is set
per year in 14 payments; its hourly equivalent is the annual SMI / 1,826 hours.

Simplifications: work-accident rates (AT/EP, by activity), minimum bases, the solidarity
contribution above the maximum base (from 2025) and the extra contribution for contracts
under 30 days are not modelled; IRPF withholding is a flat approximation.
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
COUNTRY = "ES"
CURRENCY = "EUR"

_CAP = "contribution_ceiling"
_IRPF = Withholding(
    "IRPF withholding (approximation)", "income_tax_rate", allowance="income_tax_monthly_allowance"
)


def _scheme(employer_unemployment: str, employee_unemployment: str) -> Scheme:
    return Scheme(
        employer=(
            Contribution("Common contingencies", "employer_common_rate", ceiling=_CAP),
            Contribution("Unemployment", employer_unemployment, ceiling=_CAP),
            Contribution("Wage guarantee fund (FOGASA)", "employer_fogasa_rate", ceiling=_CAP),
            Contribution("Vocational training", "employer_training_rate", ceiling=_CAP),
            Contribution("Intergenerational equity (MEI)", "employer_mei_rate", ceiling=_CAP),
        ),
        employee=(
            Contribution("Common contingencies", "employee_common_rate", ceiling=_CAP),
            Contribution("Unemployment", employee_unemployment, ceiling=_CAP),
            Contribution("Vocational training", "employee_training_rate", ceiling=_CAP),
            Contribution("Intergenerational equity (MEI)", "employee_mei_rate", ceiling=_CAP),
        ),
        withholding=_IRPF,
    )


SCHEMES = {
    "default": _scheme("employer_unemployment_rate", "employee_unemployment_rate"),
    "temporary": _scheme(
        "employer_unemployment_rate_temporary", "employee_unemployment_rate_temporary"
    ),
}

CONTRACT_TYPES = (
    ContractType(
        code="fixed_term_production",
        label="Fixed-term contract for production circumstances (contrato por "
        "circunstancias de la producción)",
        unit="assignment",
        scheme="temporary",
        max_duration_months=6,
        source="Estatuto de los Trabajadores, art. 15.2 (Real Decreto-ley 32/2021)",
        note="6 months at most, 12 if the sector's collective agreement allows it.",
    ),
    ContractType(
        code="fixed_discontinuous",
        label="Fixed-discontinuous contract (contrato fijo-discontinuo)",
        unit="assignment",
        source="Estatuto de los Trabajadores, art. 16 (Real Decreto-ley 32/2021)",
    ),
)
DEFAULT_CONTRACT = "fixed_term_production"

PROTECTION = ProtectionRule(
    kind=NO_PROTECTION_RULE,
    description="No monthly protection rule implemented for Spain.",
)

PARAMETERS = parameters_of(
    SCHEMES,
    PROTECTION,
    (
        "minimum_wage_monthly",
        "minimum_wage_annual",
        "standard_annual_hours",
    ),
)


def hourly_minimum_wage(value: Callable[[str], Decimal]) -> Decimal | None:
    """Annual SMI (14 payments) divided by the annual working hours of a full-time job."""
    return value("minimum_wage_annual") / value("standard_annual_hours")
