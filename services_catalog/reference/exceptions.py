"""Errors of the reference catalogue (stable codes)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class ReferenceCatalogueErrorCode(StrEnum):
    """The stable ``code`` of each error of the reference catalogue (the API's ``"code"``)."""

    REFERENCE_SERVICE_INVALID = "reference_service_invalid"
    REFERENCE_SERVICE_EXISTS = "reference_service_exists"
    REFERENCE_SERVICE_NOT_FOUND = "reference_service_not_found"
    TIER_REQUIREMENT_INVALID = "tier_requirement_invalid"
    TIER_REQUIREMENT_OVERLAP = "tier_requirement_overlap"


class ReferenceServiceInvalid(ValidationFailed):
    code = ReferenceCatalogueErrorCode.REFERENCE_SERVICE_INVALID
    default_message = _("The reference service is not valid.")


class ReferenceServiceExists(Conflict):
    code = ReferenceCatalogueErrorCode.REFERENCE_SERVICE_EXISTS
    default_message = _("A reference service with this code already exists.")


class ReferenceServiceNotFound(NotFound):
    code = ReferenceCatalogueErrorCode.REFERENCE_SERVICE_NOT_FOUND
    default_message = _("No reference service has this code.")


class RequirementInvalid(ValidationFailed):
    code = ReferenceCatalogueErrorCode.TIER_REQUIREMENT_INVALID
    default_message = _("The tier requirement is not valid.")


class RequirementOverlap(Conflict):
    code = ReferenceCatalogueErrorCode.TIER_REQUIREMENT_OVERLAP
    default_message = _("Another requirement of this service and tier covers these dates.")
