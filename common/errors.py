"""One error hierarchy for the whole platform.

Services raise these; the API's exception handler (``common.api.exceptions``) turns them
into ``{"message", "code", "extra"}`` with a 4xx status. ``code`` values are stable: clients
and tests rely on them, messages may change and are translated.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class EssaimError(Exception):
    """Base of every domain error.

    ``message`` is human-readable (translatable), ``extra`` carries per-field details or
    context as JSON-serialisable values. ``status`` is the HTTP status the API answers with.
    """

    code = "error"
    status = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message: Any = None, extra: dict[str, Any] | None = None):
        self.message = message if message is not None else self.default_message
        self.extra = extra or {}
        # Kept lazy: the message is translated when rendered, in the caller's language.
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


class ValidationFailed(EssaimError):
    code = "invalid"
    default_message = _("Some fields are not valid.")


class NotFound(EssaimError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionRefused(EssaimError):
    code = "permission_denied"
    status = 403
    default_message = _("You may not do this.")


class Conflict(EssaimError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with the current state.")


class CurrencyMismatch(EssaimError):
    code = "currency_mismatch"
    default_message = _("Amounts in different currencies cannot be combined.")


class CharterViolation(EssaimError):
    code = "charter_violation"
    default_message = _("This would break the federation's charter.")


class RuleNotFound(EssaimError):
    code = "rule_not_found"
    default_message = _("No labour-law rule is in force for this date.")


class PartnerUnavailable(EssaimError):
    """Raised by the lifecycle when a partner's status forbids the operation."""

    code = "partner_unavailable"
    status = 409
    default_message = _("This partner is not active.")


class RulePackInvalid(EssaimError):
    """A labour-law rule pack's data file or overrides are broken or incomplete (unknown
    unit, overlapping periods, missing source, parameter missing for the pack's code)."""

    code = "rule_pack_invalid"
    default_message = _("The labour-law rule pack is invalid or incomplete.")


class PartnerRequired(EssaimError):
    """A partner-side operation was called with no partner schema active (the federation
    host, a task sent without its schema)."""

    code = "partner_required"
    default_message = _("This runs on a partner's host only.")


def refusal_line(exc: EssaimError) -> str:
    """The error's message and its per-field messages (``extra.fields``), on one line: how
    management commands report a refusal."""
    fields = exc.extra.get("fields", exc.extra)
    details = [
        f"{name}: {' '.join(str(message) for message in messages)}"
        for name, messages in fields.items()
        if isinstance(messages, list | tuple)
    ]
    line = " ".join([str(exc.message), *(f"({detail})" for detail in details)])
    return " ".join(line.split())
