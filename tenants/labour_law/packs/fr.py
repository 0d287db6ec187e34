"""France: the entrepreneur-salarié of a business and employment cooperative (CAE) first
signs a CAPE (contrat d'appui au projet d'entreprise: no salary, keeps unemployment
benefits), then a CDI entrepreneur-salarié (CESA) paid from the activity's turnover.
Contributions: aggregate rates for a non-cadre employee, with the old-age and
complementary-pension (AGIRC-ARRCO tranche 1) parts capped at the monthly social security
ceiling (PMSS); CSG/CRDS on 98.25 % of gross. Protection: intermittents du spectacle need
507 hours over the last 12 months.

Simplifications: the general reduction of employer contributions (réduction générale) and
the reduced health and family rates near the SMIC are not applied, so employer cost is
overstated for low wages; cadre extras (APEC, prévoyance) are not included; withholding
(prélèvement à la source) is a flat approximation.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from tenants.labour_law.packs.base import (
    HOURS_OVER_PERIOD,
    ContractType,
    Contribution,
    ProtectionRule,
    Scheme,
    Withholding,
    parameters_of,
)

VERSION = "1"
COUNTRY = "FR"
CURRENCY = "EUR"

SCHEMES = {
    "default": Scheme(
        employer=(
            Contribution("Employer contributions, uncapped (approximation)", "employer_rate"),
            Contribution(
                "Old-age and AGIRC-ARRCO T1, capped at the PMSS",
                "employer_capped_rate",
                ceiling="social_security_ceiling",
            ),
        ),
        employee=(
            Contribution("Old-age insurance, uncapped", "employee_rate"),
            Contribution(
                "Old-age and AGIRC-ARRCO T1, capped at the PMSS",
                "employee_capped_rate",
                ceiling="social_security_ceiling",
            ),
            Contribution("CSG and CRDS", "csg_crds_rate", base_fraction="csg_base_fraction"),
        ),
        withholding=Withholding(
            "Income tax at source (prélèvement à la source, approximation)",
            "income_tax_rate",
            allowance="income_tax_monthly_allowance",
        ),
    ),
}

CONTRACT_TYPES = (
    ContractType(
        code="cesa",
        label="CDI entrepreneur-salarié (CESA) in a business and employment cooperative",
        unit="month",
        source="Code du travail, art. L7331-1 to L7332-7 (loi n° 2014-856 du 31 juillet 2014)",
    ),
    ContractType(
        code="cape",
        label="Contrat d'appui au projet d'entreprise (CAPE): support contract, no salary",
        unit="assignment",
        salaried=False,
        max_duration_months=36,
        source="Code de commerce, art. L127-1 to L127-7; décret n° 2005-505",
        note="12 months, renewable twice (36 months at most); pays no salary.",
    ),
)
DEFAULT_CONTRACT = "cesa"

PROTECTION = ProtectionRule(
    kind=HOURS_OVER_PERIOD,
    description=(
        "Intermittents du spectacle (annexes 8 and 10 of the unemployment insurance rules) "
        "are covered when they worked at least the required hours over the last months."
    ),
    required_hours="intermittent_required_hours",
    reference_months="intermittent_reference_months",
)

PARAMETERS = parameters_of(
    SCHEMES,
    PROTECTION,
    ("minimum_wage_hourly", "standard_monthly_hours"),
)


def hourly_minimum_wage(value: Callable[[str], Decimal]) -> Decimal | None:
    """The SMIC per hour."""
    return value("minimum_wage_hourly")
