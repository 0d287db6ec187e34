"""Errors raised by expense services. ``code`` values (``ExpensesErrorCode``) are stable;
``extra`` is ``{"fields": {field: [messages]}}`` for what the caller must correct, with
context keys beside it (``status``, ``balance``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class ExpensesErrorCode(StrEnum):
    INVALID = "expense_invalid"
    NOT_FOUND = "expense_not_found"
    ALREADY_DECIDED = "expense_already_decided"
    EXCEEDS_BALANCE = "expense_exceeds_balance"


class ExpenseInvalid(ValidationFailed):
    code = ExpensesErrorCode.INVALID
    default_message = _("The expense is not valid.")


class ExpenseNotFound(NotFound):
    code = ExpensesErrorCode.NOT_FOUND
    default_message = _("No such expense.")


class ExpenseAlreadyDecided(Conflict):
    code = ExpensesErrorCode.ALREADY_DECIDED
    default_message = _("This expense was already approved or rejected.")


class ExpenseExceedsBalance(Conflict):
    code = ExpensesErrorCode.EXCEEDS_BALANCE
    default_message = _("The activity's balance does not cover this expense.")
