from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class ExpenseInvalid(ValidationFailed):
    code = "expense_invalid"
    default_message = _("The expense is not valid.")


class ExpenseNotFound(NotFound):
    code = "expense_not_found"
    default_message = _("No such expense.")


class ExpenseAlreadyDecided(Conflict):
    code = "expense_already_decided"
    default_message = _("This expense was already approved or rejected.")


class ExpenseExceedsBalance(Conflict):
    code = "expense_exceeds_balance"
    default_message = _("The activity's balance does not cover this expense.")
