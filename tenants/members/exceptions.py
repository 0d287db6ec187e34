"""Errors of members, activities and ledgers, each with a stable ``code``."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class MembersErrorCode(StrEnum):
    """The stable ``code`` of each error of members, activities and ledgers (the API's
    ``"code"``)."""

    MEMBER_INVALID = "member_invalid"
    MEMBER_NOT_FOUND = "member_not_found"
    MEMBER_TRANSITION_REFUSED = "member_transition_refused"
    ACTIVITY_INVALID = "activity_invalid"
    ACTIVITY_NOT_FOUND = "activity_not_found"
    LEDGER_INVALID = "ledger_invalid"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    LEDGER_ENTRY_NOT_FOUND = "ledger_entry_not_found"


class MemberInvalid(ValidationFailed):
    code = MembersErrorCode.MEMBER_INVALID
    default_message = _("The member's details are not valid.")


class MemberNotFound(NotFound):
    code = MembersErrorCode.MEMBER_NOT_FOUND
    default_message = _("No such member.")


class MemberTransitionRefused(Conflict):
    code = MembersErrorCode.MEMBER_TRANSITION_REFUSED
    default_message = _("This change of member status is not allowed.")


class ActivityInvalid(ValidationFailed):
    code = MembersErrorCode.ACTIVITY_INVALID
    default_message = _("The activity's details are not valid.")


class ActivityNotFound(NotFound):
    code = MembersErrorCode.ACTIVITY_NOT_FOUND
    default_message = _("No such activity.")


class LedgerInvalid(ValidationFailed):
    code = MembersErrorCode.LEDGER_INVALID
    default_message = _("This ledger entry is not valid.")


class IdempotencyConflict(Conflict):
    code = MembersErrorCode.IDEMPOTENCY_CONFLICT
    default_message = _("This idempotency key was already used for a different entry.")


class LedgerEntryNotFound(NotFound):
    code = MembersErrorCode.LEDGER_ENTRY_NOT_FOUND
    default_message = _("No such ledger entry.")
