"""Belgium: employer and employee social security (ONSS/RSZ) on the whole gross, no
ceiling; members work under daily contracts ("contrat journalier", one fixed-term contract
per working day) or short fixed-term contracts. The guaranteed minimum (GMMI/RMMMG, CCT
n° 43) is monthly for 38 hours a week; its hourly equivalent is monthly × 12 / (38 × 52).

Simplifications: the employer rate is the private-sector basic rate without structural
reductions; the special social security contribution and the work bonus are not modelled;
withholding (précompte professionnel) is a flat approximation. No monthly protection rule
is implemented (the work-of-arts certificate and unemployment day counts are not modelled).
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
COUNTRY = "BE"
CURRENCY = "EUR"

_SCHEME = Scheme(
    employer=(Contribution("Employer social security (ONSS)", "employer_social_security_rate"),),
    employee=(Contribution("Employee social security (ONSS)", "employee_social_security_rate"),),
    withholding=Withholding(
        "Withholding tax (précompte professionnel, approximation)",
        "income_tax_rate",
        allowance="income_tax_monthly_allowance",
    ),
)
SCHEMES = {"default": _SCHEME}

CONTRACT_TYPES = (
    ContractType(
        code="daily",
        label="Daily contract (contrat journalier): one fixed-term contract per day worked",
        unit="day",
        max_duration_days=1,
        min_hours_per_day=Decimal(3),
        source="Loi du 3 juillet 1978 relative aux contrats de travail, art. 11bis "
        "(minimum 3 hours per working period)",
    ),
    ContractType(
        code="short_fixed_term",
        label="Short fixed-term contract (contrat à durée déterminée court)",
        unit="assignment",
        max_duration_months=3,
        min_hours_per_day=Decimal(3),
        source="Loi du 3 juillet 1978, art. 10bis (successive fixed-term contracts of at "
        "least 3 months each)",
        note="Partner practice: contracts of up to 3 months per assignment.",
    ),
)
DEFAULT_CONTRACT = "daily"

PROTECTION = ProtectionRule(
    kind=NO_PROTECTION_RULE,
    description=(
        "No monthly protection rule: every contract is subject to full social security "
        "from the first day. The work-of-arts certificate (attestation du travail des arts) "
        "and unemployment day counts are not modelled."
    ),
)

PARAMETERS = parameters_of(
    SCHEMES,
    PROTECTION,
    ("minimum_wage_monthly", "standard_weekly_hours"),
)


def hourly_minimum_wage(value: Callable[[str], Decimal]) -> Decimal | None:
    """GMMI per hour: monthly guaranteed minimum × 12 / (weekly hours × 52)."""
    return value("minimum_wage_monthly") * 12 / (value("standard_weekly_hours") * 52)
