"""Errors raised by payroll services (the guarantee fund today). ``code`` values
(``PayrollErrorCode``) are stable; ``extra`` is ``{"fields": {field: [messages]}}`` for what
the caller must correct, with context keys beside it (``max_advance``, ``balance``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class PayrollErrorCode(StrEnum):
    FUND_INVALID = "fund_invalid"
    FUND_INVOICE_NOT_FOUND = "fund_invoice_not_found"
    FUND_ADVANCE_REFUSED = "fund_advance_refused"
    FUND_INSUFFICIENT = "fund_insufficient"
    FUND_NOTHING_OUTSTANDING = "fund_nothing_outstanding"


class FundInvalid(ValidationFailed):
    code = PayrollErrorCode.FUND_INVALID
    default_message = _("This guarantee fund operation is not valid.")


class FundInvoiceNotFound(NotFound):
    code = PayrollErrorCode.FUND_INVOICE_NOT_FOUND
    default_message = _("No such invoice.")


class FundAdvanceRefused(Conflict):
    code = PayrollErrorCode.FUND_ADVANCE_REFUSED
    default_message = _("The guarantee fund cannot advance this amount on this invoice.")


class FundInsufficient(Conflict):
    code = PayrollErrorCode.FUND_INSUFFICIENT
    default_message = _("The guarantee fund does not hold enough money for this advance.")


class FundNothingOutstanding(Conflict):
    code = PayrollErrorCode.FUND_NOTHING_OUTSTANDING
    default_message = _("No advance is outstanding on this invoice.")
