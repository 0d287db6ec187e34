from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class MemberInvalid(ValidationFailed):
    code = "member_invalid"
    default_message = _("The member's details are not valid.")


class MemberNotFound(NotFound):
    code = "member_not_found"
    default_message = _("No such member.")


class MemberTransitionRefused(Conflict):
    code = "member_transition_refused"
    default_message = _("This change of member status is not allowed.")


class ActivityInvalid(ValidationFailed):
    code = "activity_invalid"
    default_message = _("The activity's details are not valid.")


class ActivityNotFound(NotFound):
    code = "activity_not_found"
    default_message = _("No such activity.")


class LedgerInvalid(ValidationFailed):
    code = "ledger_invalid"
    default_message = _("This ledger entry is not valid.")


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"
    default_message = _("This idempotency key was already used for a different entry.")


class LedgerEntryNotFound(NotFound):
    code = "ledger_entry_not_found"
    default_message = _("No such ledger entry.")
