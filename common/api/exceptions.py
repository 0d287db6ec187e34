"""One error format for the whole API: ``{"message", "code", "extra"}``.

``extra.fields`` holds per-field details: a list of messages per field, a nested field
named by its path (``lines[1].quantity``), as services name it. Domain errors
(``EssaimError``), DRF's own errors, Django validation errors and database errors caused by
input (out-of-range numbers, integrity conflicts) all become 4xx responses, never 500.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from common.errors import EssaimError

logger = logging.getLogger(__name__)


def _flatten(detail) -> object:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def field_errors(detail) -> dict[str, list[str]]:
    """DRF's error detail of a serializer as ``{path: [messages]}``, the one shape of
    ``extra.fields``: a nested field is named by its path, as services name it
    (``lines[1].quantity``, ``incomes[0]``, ``name.fr``), and an error about a whole
    nested value (DRF's ``non_field_errors`` inside it) by that value's own path. Top-level
    ``non_field_errors`` keep their key."""
    flat: dict[str, list[str]] = {}
    # Iterative: a request body nests at most MAX_JSON_DEPTH levels, but a walk needs no
    # recursion at all.
    pending = [("", detail)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            for key, child in reversed(list(value.items())):
                key = str(key)
                if key in ("non_field_errors", "__all__") and path:
                    child_path = path
                elif key.isdigit():
                    child_path = f"{path}[{key}]"
                else:
                    child_path = f"{path}.{key}" if path else key
                pending.append((child_path, child))
        elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            # A list serializer's errors: one entry per item, empty for a valid one.
            for index in reversed(range(len(value))):
                if value[index]:
                    pending.append((f"{path}[{index}]", value[index]))
        elif isinstance(value, list):
            flat.setdefault(path or "non_field_errors", []).extend(str(item) for item in value)
        else:
            flat.setdefault(path or "non_field_errors", []).append(str(value))
    return flat


def _response(message: str, code: str, extra: dict, status_code: int) -> Response:
    return Response({"message": str(message), "code": code, "extra": extra}, status=status_code)


def exception_handler(exc, context):
    if isinstance(exc, EssaimError):
        response = _response(exc.message, exc.code, _flatten(exc.extra), exc.status)
        # An error may carry response headers (e.g. Retry-After with a 429).
        for name, value in getattr(exc, "headers", {}).items():
            response[name] = value
        return response
    if isinstance(exc, Http404):
        return _response(_("Not found."), "not_found", {}, status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return _response(
            _("You may not do this."), "permission_denied", {}, status.HTTP_403_FORBIDDEN
        )
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return _response(
            _("Some fields are not valid."),
            "invalid",
            {"fields": fields},
            status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DataError):
        logger.info("Input refused by the database: %s", exc)
        return _response(
            _("A value is out of range or malformed."), "invalid", {}, status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, IntegrityError):
        logger.info("Integrity conflict: %s", exc)
        return _response(
            _("This conflicts with existing data."), "conflict", {}, status.HTTP_409_CONFLICT
        )
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return _response(
            _("Some fields are not valid."),
            "invalid",
            {"fields": field_errors(detail)},
            exc.status_code,
        )
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        response = _response(
            str(exc.detail),
            exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code,
            {},
            exc.status_code,
        )
        for key, value in headers.items():
            response[key] = value
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response["WWW-Authenticate"] = 'Token realm="api"'
        return response
    return None
