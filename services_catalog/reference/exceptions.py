"""Errors of the reference catalogue (stable codes)."""

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class ReferenceServiceInvalid(ValidationFailed):
    code = "reference_service_invalid"
    default_message = _("The reference service is not valid.")


class ReferenceServiceExists(Conflict):
    code = "reference_service_exists"
    default_message = _("A reference service with this code already exists.")


class ReferenceServiceNotFound(NotFound):
    code = "reference_service_not_found"
    default_message = _("No reference service has this code.")


class RequirementInvalid(ValidationFailed):
    code = "tier_requirement_invalid"
    default_message = _("The tier requirement is not valid.")


class RequirementOverlap(Conflict):
    code = "tier_requirement_overlap"
    default_message = _("Another requirement of this service and tier covers these dates.")
