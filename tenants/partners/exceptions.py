from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, EssaimError, NotFound


class PartnerInvalid(EssaimError):
    code = "partner_invalid"
    default_message = _("The partner's details are not valid.")


class PartnerExists(Conflict):
    code = "partner_exists"
    default_message = _("A partner with this slug already exists.")


class PartnerSchemaExists(Conflict):
    """The database already holds a schema of the name a new partner's slug gives; it is
    left as it is (it may hold data), and nothing of the partner is created."""

    code = "partner_schema_exists"
    default_message = _("A schema of this name already exists in the database.")


class PartnerNotFound(NotFound):
    code = "partner_not_found"
    default_message = _("No such partner.")


class TransitionRefused(Conflict):
    code = "transition_refused"
    default_message = _("This change of tier or status is not allowed.")
