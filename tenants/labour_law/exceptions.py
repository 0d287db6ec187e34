"""Errors of the labour-law layer, each with a stable ``code``."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class LabourLawErrorCode(StrEnum):
    """The stable ``code`` of each error of the labour-law layer (the API's ``"code"``)."""

    PACK_NOT_CONFIGURED = "labour_law_pack_not_configured"
    PARTNER_PARAMETER_INVALID = "partner_parameter_invalid"
    PARTNER_PARAMETER_NOT_FOUND = "partner_parameter_not_found"
    SALARY_SIMULATION_NOT_FOUND = "salary_simulation_not_found"
    INCOME_PLAN_NOT_FOUND = "income_plan_not_found"
    CONTRACT_NOT_FOUND = "contract_not_found"
    CONTRACT_EXCEEDS_BALANCE = "contract_exceeds_balance"
    CONTRACT_NOT_ALLOWED = "contract_not_allowed"
    CONTRACT_PROPOSAL_CHANGED = "contract_proposal_changed"
    INPUT_INVALID = "labour_law_input_invalid"


class PackNotConfigured(Conflict):
    """The partner's pack cannot compute yet: the generic pack lacks values the partner's
    admin must set (``extra["missing"]`` lists them), or the partner's currency differs
    from its country pack's."""

    code = LabourLawErrorCode.PACK_NOT_CONFIGURED
    default_message = _("The labour-law rules of this partner are not configured yet.")


class LabourLawInputInvalid(ValidationFailed):
    """Values that are each well formed but do not go together (a period that ends before
    it starts, two amounts where one is expected); ``extra["fields"]`` names them."""

    code = LabourLawErrorCode.INPUT_INVALID
    default_message = _("Some fields are not valid.")


class PartnerParameterInvalid(ValidationFailed):
    code = LabourLawErrorCode.PARTNER_PARAMETER_INVALID
    default_message = _("This labour-law parameter is not valid.")


class PartnerParameterNotFound(NotFound):
    code = LabourLawErrorCode.PARTNER_PARAMETER_NOT_FOUND
    default_message = _("No such labour-law parameter.")


class SalarySimulationNotFound(NotFound):
    code = LabourLawErrorCode.SALARY_SIMULATION_NOT_FOUND
    default_message = _("No such salary simulation.")


class IncomePlanNotFound(NotFound):
    code = LabourLawErrorCode.INCOME_PLAN_NOT_FOUND
    default_message = _("No such income plan.")


class ContractNotFound(NotFound):
    code = LabourLawErrorCode.CONTRACT_NOT_FOUND
    default_message = _("No such contract.")


class ContractExceedsBalance(Conflict):
    """The contract would cost more than the activity holds; nothing was changed."""

    code = LabourLawErrorCode.CONTRACT_EXCEEDS_BALANCE
    default_message = _("The activity's balance cannot pay this contract.")


class ContractNotAllowed(ValidationFailed):
    """The proposal is not feasible (duration, minimum wage, no salary); ``extra["reasons"]``
    says why."""

    code = LabourLawErrorCode.CONTRACT_NOT_ALLOWED
    default_message = _("This contract cannot be made.")


class ProposalChanged(Conflict):
    """The rules changed since the proposal the client accepted (``pack_version`` differs)."""

    code = LabourLawErrorCode.CONTRACT_PROPOSAL_CHANGED
    default_message = _("The labour-law rules changed since this proposal; review it again.")
