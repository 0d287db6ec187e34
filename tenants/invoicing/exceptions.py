"""Errors raised by invoicing services. ``code`` values are stable (clients and tests rely
on them); messages are translated."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed


class InvoicingInvalid(ValidationFailed):
    """Bad input to an invoicing service; ``extra`` names the fields."""

    code = "invoicing_invalid"
    default_message = _("Some invoicing fields are not valid.")


class ClientVatNumberInvalid(ValidationFailed):
    code = "vat_number_invalid"
    default_message = _("The VAT number is not valid for the client's country.")


class VatRateNotAllowed(ValidationFailed):
    """A line's explicit VAT rate is not one the rules allow for this invoice."""

    code = "vat_rate_not_allowed"
    default_message = _("This VAT rate is not allowed on this document.")


class VatRuleMissing(ValidationFailed):
    code = "vat_rule_missing"
    default_message = _("No VAT rate is known for this country on this date.")


class InvoiceNotDraft(Conflict):
    code = "invoice_not_draft"
    default_message = _("Only a draft invoice can be changed or issued.")


class InvoiceImmutable(Conflict):
    """An issued invoice (or its lines, a credit note, a payment) was about to be changed."""

    code = "invoice_immutable"
    default_message = _(
        "An issued invoice cannot be changed; cancel it with a credit note instead."
    )


class InvoiceStateInvalid(Conflict):
    code = "invoice_state_invalid"
    default_message = _("This cannot be done in the invoice's current state.")


class OverpaymentRefused(ValidationFailed):
    code = "overpayment"
    default_message = _("The payment is larger than the amount still due.")


class CreditNoteTooLarge(ValidationFailed):
    code = "credit_note_too_large"
    default_message = _("The credit note is larger than the amount that can still be credited.")


class NumberFormatInvalid(ValidationFailed):
    code = "number_format_invalid"
    default_message = _("The partner's invoice number format is not valid.")


class EstimateStateInvalid(Conflict):
    code = "estimate_state_invalid"
    default_message = _("This cannot be done in the estimate's current state.")


class EstimateNeedsValidation(PermissionRefused):
    code = "estimate_needs_validation"
    default_message = _("An advisor must validate this estimate before it is sent.")


class ClientNotOwned(PermissionRefused):
    """A member changed or deleted a client that another user created (they may read it
    because it appears on their documents, but other members' documents use it too)."""

    code = "client_not_owned"
    default_message = _(
        "Only the member who created this client, or the partner's staff, may change it."
    )


class ObjectNotFound(NotFound):
    code = "not_found"
