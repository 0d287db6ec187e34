"""Errors raised by invoicing services. ``code`` values (``InvoicingErrorCode``) are stable:
clients and tests rely on them; messages are translated.

``extra`` has one shape: ``{"fields": {field: [messages]}}`` for what the caller must
correct (a field of the request body, e.g. ``lines[0].unit_price``), plus context keys
beside ``fields`` where they help (``amount_due``, ``allowed``, ``status``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, EssaimError, NotFound, PermissionRefused, ValidationFailed


class InvoicingErrorCode(StrEnum):
    INVALID = "invoicing_invalid"
    VAT_NUMBER_INVALID = "vat_number_invalid"
    VAT_RATE_NOT_ALLOWED = "vat_rate_not_allowed"
    VAT_RULE_MISSING = "vat_rule_missing"
    VAT_RATES_INVALID = "vat_rates_invalid"
    INVOICE_NOT_DRAFT = "invoice_not_draft"
    INVOICE_IMMUTABLE = "invoice_immutable"
    INVOICE_STATE_INVALID = "invoice_state_invalid"
    OVERPAYMENT = "overpayment"
    CREDIT_NOTE_TOO_LARGE = "credit_note_too_large"
    NUMBER_FORMAT_INVALID = "number_format_invalid"
    ESTIMATE_STATE_INVALID = "estimate_state_invalid"
    ESTIMATE_NEEDS_VALIDATION = "estimate_needs_validation"
    CLIENT_NOT_OWNED = "client_not_owned"
    NOT_FOUND = "not_found"


class InvoicingInvalid(ValidationFailed):
    """Bad input to an invoicing service; ``extra`` names the fields."""

    code = InvoicingErrorCode.INVALID
    default_message = _("Some invoicing fields are not valid.")


class ClientVatNumberInvalid(ValidationFailed):
    code = InvoicingErrorCode.VAT_NUMBER_INVALID
    default_message = _("The VAT number is not valid for the client's country.")


class VatRateNotAllowed(ValidationFailed):
    """A line's explicit VAT rate is not one the rules allow for this invoice."""

    code = InvoicingErrorCode.VAT_RATE_NOT_ALLOWED
    default_message = _("This VAT rate is not allowed on this document.")


class VatRuleMissing(ValidationFailed):
    code = InvoicingErrorCode.VAT_RULE_MISSING
    default_message = _("No VAT rate is known for this country on this date.")


class VatRatesInvalid(EssaimError):
    """A VAT rate file (``tenants/invoicing/vat_rates/<cc>.toml``) cannot be read or is
    inconsistent; the message names the file and the entry. A fault of the deployment,
    never of the caller's input: hence a 500 (``manage.py check`` reports it first)."""

    code = InvoicingErrorCode.VAT_RATES_INVALID
    status = 500
    default_message = _("The platform's VAT rates are invalid.")


class InvoiceNotDraft(Conflict):
    code = InvoicingErrorCode.INVOICE_NOT_DRAFT
    default_message = _("Only a draft invoice can be changed or issued.")


class InvoiceImmutable(Conflict):
    """An issued invoice (or its lines, a credit note, a payment) was about to be changed."""

    code = InvoicingErrorCode.INVOICE_IMMUTABLE
    default_message = _(
        "An issued invoice cannot be changed; cancel it with a credit note instead."
    )


class InvoiceStateInvalid(Conflict):
    code = InvoicingErrorCode.INVOICE_STATE_INVALID
    default_message = _("This cannot be done in the invoice's current state.")


class OverpaymentRefused(ValidationFailed):
    code = InvoicingErrorCode.OVERPAYMENT
    default_message = _("The payment is larger than the amount still due.")


class CreditNoteTooLarge(ValidationFailed):
    code = InvoicingErrorCode.CREDIT_NOTE_TOO_LARGE
    default_message = _("The credit note is larger than the amount that can still be credited.")


class NumberFormatInvalid(ValidationFailed):
    code = InvoicingErrorCode.NUMBER_FORMAT_INVALID
    default_message = _("The partner's invoice number format is not valid.")


class EstimateStateInvalid(Conflict):
    code = InvoicingErrorCode.ESTIMATE_STATE_INVALID
    default_message = _("This cannot be done in the estimate's current state.")


class EstimateNeedsValidation(PermissionRefused):
    code = InvoicingErrorCode.ESTIMATE_NEEDS_VALIDATION
    default_message = _("An advisor must validate this estimate before it is sent.")


class ClientNotOwned(PermissionRefused):
    """A member changed or deleted a client that another user created (they may read it
    because it appears on their documents, but other members' documents use it too)."""

    code = InvoicingErrorCode.CLIENT_NOT_OWNED
    default_message = _(
        "Only the member who created this client, or the partner's staff, may change it."
    )


class ObjectNotFound(NotFound):
    code = InvoicingErrorCode.NOT_FOUND


def invalid_field(field: str, message: Any, **context: Any) -> InvoicingInvalid:
    """An ``InvoicingInvalid`` whose message names ``field`` and whose ``extra`` is
    ``{"fields": {field: [message]}, **context}``."""
    return InvoicingInvalid(f"{field}: {message}", {"fields": {field: [message]}, **context})
