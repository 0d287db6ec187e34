"""Errors of the charter (stable codes). Every refusal names the bound and the charter
version (``extra.charter``: ``{"id", "tier", "effective_from", "version"}``)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import CharterViolation, Conflict, EssaimError, NotFound, ValidationFailed


class CharterErrorCode(StrEnum):
    """The stable ``code`` of each error of the charter (the API's ``"code"``)."""

    CHARTER_VIOLATION = "charter_violation"
    CHARTER_REQUIREMENTS_UNMET = "charter_requirements_unmet"
    CHARTER_NOT_FOUND = "charter_not_found"
    CHARTER_VERSION_NOT_FOUND = "charter_version_not_found"
    CHARTER_INVALID = "charter_invalid"
    CHARTER_VERSION_EXISTS = "charter_version_exists"
    CHARTER_VERSION_IN_FORCE = "charter_version_in_force"
    FINDING_NOT_FOUND = "charter_finding_not_found"
    ANNUAL_REPORT_INVALID = "annual_report_invalid"
    ANNUAL_REPORT_EXISTS = "annual_report_exists"
    ANNUAL_REPORT_NOT_FOUND = "annual_report_not_found"


class CharterBoundViolated(CharterViolation):
    """A partner setting outside the bound of the charter in force on the date it takes
    effect: ``extra`` holds ``setting``, ``value``, ``bound`` (``{"min": …}`` and/or
    ``{"max": …}``), ``on`` and ``charter``, and ``fields`` for the API."""

    code = CharterErrorCode.CHARTER_VIOLATION
    default_message = _("This would break the federation's charter.")


class CharterRequirementsUnmet(CharterViolation):
    """A promotion (or another move) the target tier's charter does not allow:
    ``extra.unmet`` lists every unmet requirement (``kind``, ``subject``, ``message``,
    ``bound``, ``value``, ``on``, ``charter``)."""

    code = CharterErrorCode.CHARTER_REQUIREMENTS_UNMET
    default_message = _("The partner does not meet the charter of this tier.")


class CharterNotFound(EssaimError):
    """No charter version of the tier is in force on the date (``migrate`` installs one
    for every tier from 2000-01-01, so only a date before that, or a tier without any
    version, gets here)."""

    code = CharterErrorCode.CHARTER_NOT_FOUND
    status = 409
    default_message = _("No charter is in force for this tier on this date.")


class CharterVersionNotFound(NotFound):
    code = CharterErrorCode.CHARTER_VERSION_NOT_FOUND
    default_message = _("No such charter version.")


class CharterInvalid(ValidationFailed):
    code = CharterErrorCode.CHARTER_INVALID
    default_message = _("The charter version is not valid.")


class CharterVersionExists(Conflict):
    code = CharterErrorCode.CHARTER_VERSION_EXISTS
    default_message = _("A version of this tier's charter already starts on this date.")


class CharterVersionInForce(Conflict):
    code = CharterErrorCode.CHARTER_VERSION_IN_FORCE
    default_message = _(
        "This charter version is in force and cannot be changed; create a new version."
    )


class FindingNotFound(NotFound):
    code = CharterErrorCode.FINDING_NOT_FOUND
    default_message = _("No such charter finding.")


class AnnualReportInvalid(ValidationFailed):
    code = CharterErrorCode.ANNUAL_REPORT_INVALID
    default_message = _("The annual report is not valid.")


class AnnualReportExists(Conflict):
    code = CharterErrorCode.ANNUAL_REPORT_EXISTS
    default_message = _("This year's report is already filed; correct it instead.")


class AnnualReportNotFound(NotFound):
    code = CharterErrorCode.ANNUAL_REPORT_NOT_FOUND
    default_message = _("No such annual report.")
