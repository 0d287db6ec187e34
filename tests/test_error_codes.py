"""Each domain's error codes are one StrEnum in its ``exceptions.py``, used by its error
classes, with values that never change (clients and tests rely on them)."""

from __future__ import annotations

from enum import StrEnum
from importlib import import_module

import pytest

from common.errors import EssaimError

STABLE_CODES = {
    "shared.charter.exceptions": {
        "CharterBoundViolated": "charter_violation",
        "CharterRequirementsUnmet": "charter_requirements_unmet",
        "CharterNotFound": "charter_not_found",
        "CharterVersionNotFound": "charter_version_not_found",
        "CharterInvalid": "charter_invalid",
        "CharterVersionExists": "charter_version_exists",
        "CharterVersionInForce": "charter_version_in_force",
        "FindingNotFound": "charter_finding_not_found",
        "AnnualReportInvalid": "annual_report_invalid",
        "AnnualReportExists": "annual_report_exists",
        "AnnualReportNotFound": "annual_report_not_found",
    },
    "tenants.members.exceptions": {
        "MemberInvalid": "member_invalid",
        "MemberNotFound": "member_not_found",
        "MemberTransitionRefused": "member_transition_refused",
        "ActivityInvalid": "activity_invalid",
        "ActivityNotFound": "activity_not_found",
        "LedgerInvalid": "ledger_invalid",
        "IdempotencyConflict": "idempotency_conflict",
        "LedgerEntryNotFound": "ledger_entry_not_found",
    },
    "tenants.labour_law.exceptions": {
        "PackNotConfigured": "labour_law_pack_not_configured",
        "PartnerParameterInvalid": "partner_parameter_invalid",
        "PartnerParameterNotFound": "partner_parameter_not_found",
        "SalarySimulationNotFound": "salary_simulation_not_found",
        "IncomePlanNotFound": "income_plan_not_found",
        "ContractNotFound": "contract_not_found",
        "ContractExceedsBalance": "contract_exceeds_balance",
        "ContractNotAllowed": "contract_not_allowed",
        "ProposalChanged": "contract_proposal_changed",
        "LabourLawInputInvalid": "labour_law_input_invalid",
    },
    "services_catalog.local.exceptions": {
        "ServiceInvalid": "service_invalid",
        "ServiceCurrencyRefused": "service_currency_refused",
        "ServiceExists": "service_exists",
        "ServiceNotFound": "service_not_found",
        "SubscriptionInvalid": "subscription_invalid",
        "SubscriptionOverlap": "subscription_overlap",
        "SubscriptionNotFound": "subscription_not_found",
        "ServiceUseInvalid": "service_use_invalid",
    },
    "shared.rollups.exceptions": {"RollupInvalid": "rollup_invalid"},
    "shared.exchange_rates.exceptions": {
        "ExchangeRateMissing": "exchange_rate_missing",
        "ExchangeRatesFileInvalid": "exchange_rates_file_invalid",
    },
    "services_catalog.reference.exceptions": {
        "ReferenceServiceInvalid": "reference_service_invalid",
        "ReferenceServiceExists": "reference_service_exists",
        "ReferenceServiceNotFound": "reference_service_not_found",
        "RequirementInvalid": "tier_requirement_invalid",
        "RequirementOverlap": "tier_requirement_overlap",
    },
}


@pytest.mark.parametrize("module_name", sorted(STABLE_CODES))
def test_a_domains_errors_take_their_codes_from_its_one_enum(module_name):
    module = import_module(module_name)
    enums = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, StrEnum) and v.__module__ == module_name
    ]
    errors = {
        name: cls
        for name, cls in vars(module).items()
        if isinstance(cls, type) and issubclass(cls, EssaimError) and cls.__module__ == module_name
    }

    assert len(enums) == 1
    assert {name: cls.code for name, cls in errors.items()} == STABLE_CODES[module_name]
    assert all(isinstance(cls.code, enums[0]) for cls in errors.values())
    assert set(enums[0]) == set(STABLE_CODES[module_name].values())
