from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, ValidationFailed


class FundInvalid(ValidationFailed):
    code = "fund_invalid"
    default_message = _("This guarantee fund operation is not valid.")


class FundInvoiceNotFound(NotFound):
    code = "fund_invoice_not_found"
    default_message = _("No such invoice.")


class FundAdvanceRefused(Conflict):
    code = "fund_advance_refused"
    default_message = _("The guarantee fund cannot advance this amount on this invoice.")


class FundInsufficient(Conflict):
    code = "fund_insufficient"
    default_message = _("The guarantee fund does not hold enough money for this advance.")


class FundNothingOutstanding(Conflict):
    code = "fund_nothing_outstanding"
    default_message = _("No advance is outstanding on this invoice.")
