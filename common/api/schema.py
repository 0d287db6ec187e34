"""The OpenAPI schema's own rules, so that it says what the API really answers.

``AutoSchema`` (the project's ``DEFAULT_SCHEMA_CLASS``) adds to what drf-spectacular derives
from views and serializers:

- every error an operation can answer, each with the one error shape of the API,
  ``{"message", "code", "extra"}`` (component ``Error``; ``extra.fields`` names the fields
  at fault). Which statuses is decided from the view, once, here (see ``error_statuses``);
  a view that answers one more declares it with ``@also_answers(409)``;
- the files of list exports (``?format=csv`` and ``?format=xlsx``, see ``ExportMixin``):
  binary content, not the JSON page;
- descriptions from the view's own docstring (or the action's), not one inherited from a
  mixin such as ``ExportMixin``;
- decimal input as the API reads it: a decimal string (sign, ASCII digits, a point and at
  most the field's decimals) or a JSON number, within the field's digits and bounds;
- integer path parameters (ids) as positive 64-bit integers, and every optional query
  parameter as allowed empty (an empty value counts as absent everywhere);
- ``additionalProperties: false`` for the input serializers that refuse unknown fields
  (``refuses_unknown_fields = True`` on the serializer class);
- text input as DRF reads it: trimmed before its length is checked (so a required text
  needs one character that is not white space), and without the characters the text rule
  refuses (``common.text``) when the field applies that rule;
- lists that may not be empty (``allow_empty=False``) with ``minItems``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from drf_spectacular import openapi
from drf_spectacular.drainage import has_override
from drf_spectacular.plumbing import ResolvedComponent, append_meta, get_doc
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this shape.",
    "properties": {
        "message": {
            "type": "string",
            "description": "What went wrong, for a person, in the caller's language.",
        },
        "code": {
            "type": "string",
            "description": "Stable machine-readable code (e.g. invalid, not_found, conflict, "
            "invoice_not_draft); clients rely on it, not on the message.",
        },
        "extra": {
            "type": "object",
            "description": "Details. ``fields`` maps each field at fault to its messages "
            '(``{"fields": {"amount": ["A valid number is required."]}}``); other keys '
            "give context.",
            "properties": {
                "fields": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "Per-field messages (a list of strings, or nested for "
                    "nested input such as invoice lines).",
                }
            },
            "additionalProperties": {},
        },
    },
    "required": ["message", "code", "extra"],
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input or a refused business rule; ``extra.fields`` names the fields.",
    "401": "No valid token (``Authorization: Token <token>``).",
    "403": "The caller's role may not do this.",
    "404": "Not found, or not visible to the caller (another member's or partner's).",
    "409": "Conflicts with the current state (e.g. an invoice that is no longer a draft).",
    "415": "Unsupported content type of the request body.",
    "429": "Too many attempts; try again later.",
}

# Headers an error answer carries (``TooManyLoginFailures.headers``).
ERROR_HEADERS = {
    "429": {
        "Retry-After": {
            "description": "Seconds until the next attempt may be made.",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
}

_WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
_BODY_METHODS = ("POST", "PUT", "PATCH")
BINARY = {"type": "string", "format": "binary"}
BIGINT_MAX = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": BIGINT_MAX}


def _requires_auth(view) -> bool:
    return not any(issubclass(p, AllowAny) for p in view.permission_classes)


def _checks_roles(view) -> bool:
    from common.api.permissions import HasRole

    return any(issubclass(p, HasRole) for p in view.permission_classes)


_PLAIN_TEXT_FIELDS = (serializers.CharField,)


def _is_project_text_field(field) -> bool:
    """A CharField subclass of the project's own (not DRF's email, URL, regex... fields,
    whose formats say what they take)."""
    return isinstance(field, serializers.CharField) and not type(field).__module__.startswith(
        "rest_framework"
    )


def id_parameter(name: str, description: str = ""):
    """A query parameter holding an id (``common.api.params.id_param``)."""
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter(name, ID_SCHEMA, description=description)


def also_answers(*statuses: int):
    """Declare error statuses an operation answers beyond ``AutoSchema.error_statuses``
    (e.g. 409 for the PDF of a draft): ``@also_answers(409)`` above the view method."""

    def decorate(func):
        func.schema_error_statuses = tuple(str(status) for status in statuses)
        return func

    return decorate


def decimal_input_schema(field: serializers.DecimalField) -> dict:
    """What a ``DecimalField`` accepts: a decimal string with at most the field's whole
    digits and decimals (leading zeros do not count, as Python's Decimal does not count
    them), or a JSON number within the same bounds. A field with ``min_value=0`` takes no
    sign but ``+`` (and ``-0``, which is zero); a nullable one also a blank string (which
    DRF reads as null)."""
    places = field.decimal_places
    whole = field.max_whole_digits
    digits = f"0*[0-9]{{1,{whole}}}" if whole else "[0-9]+"
    fraction = "" if places == 0 else (f"(\\.[0-9]{{1,{places}}})?" if places else "(\\.[0-9]+)?")
    if field.min_value is not None and Decimal(field.min_value) == 0:
        zero = "-0+" + ("" if places == 0 else f"(\\.0{{1,{places or ''}}})?")
        pattern = f"^(\\+?{digits}{fraction}|{zero})$"
    else:
        pattern = f"^[+-]?{digits}{fraction}$"
    if field.allow_null:
        # DRF reads a blank string as null for a nullable decimal.
        pattern = f"^(\\s*|{pattern[1:-1]})$"
    text = {
        "type": "string",
        "format": "decimal",
        "pattern": pattern,
        "maxLength": field.MAX_STRING_LENGTH,
    }
    number: dict = {"type": "number"}
    if places is not None:
        number["multipleOf"] = float(Decimal(1).scaleb(-places))
    if whole is not None:
        bound = 10**whole
        number.update(maximum=bound, minimum=-bound, exclusiveMaximum=True, exclusiveMinimum=True)
    if field.max_value is not None:
        number.update(maximum=float(field.max_value), exclusiveMaximum=False)
    if field.min_value is not None:
        number.update(minimum=float(field.min_value), exclusiveMinimum=False)
    return {"anyOf": [text, number]}


def _text_rule_class(field) -> str:
    """The characters ``field`` refuses, as the inside of a regex class (escaped): NUL
    (DRF's own validator), and the text rule's (``common.text``) when the field applies
    it; "" when it refuses none."""
    from django.core.validators import ProhibitNullCharactersValidator

    inside = ""
    if any(isinstance(v, ProhibitNullCharactersValidator) for v in field.validators):
        inside += "\x00"
    try:
        from common import text
    except ImportError:
        text = None
    refused = getattr(text, "_REFUSED", None)
    if refused is not None and text.validate_text in field.validators:
        inside += refused.pattern[1:-1]
    return _pattern_class(inside)


def _pattern_class(inside: str) -> str:
    """``inside`` (the inside of a Python regex class) written for a JSON Schema pattern."""
    # Lone surrogates (which DRF refuses too) cannot be written in a JSON Schema pattern
    # (ECMA-262 regexes match code points; validators reject the range): left out.
    inside = re.sub("[\ud800-\udfff]-[\ud800-\udfff]|[\ud800-\udfff]", "", inside)
    return "".join(
        ch if ch.isprintable() and ord(ch) < 0x80 else f"\\u{ord(ch):04x}" for ch in inside
    )


def text_param_schema(max_length: int | None = None) -> dict:
    """What ``common.api.params.text_param`` accepts: the text rule, at most
    ``max_length`` (default ``TEXT_PARAM_MAX_LENGTH``) characters."""
    from common.api.params import TEXT_PARAM_MAX_LENGTH
    from common.text import _REFUSED

    return {
        "type": "string",
        "maxLength": max_length or TEXT_PARAM_MAX_LENGTH,
        "pattern": f"^[^{_pattern_class(_REFUSED.pattern[1:-1])}]*$",
    }


def text_parameter(name: str, description: str = "", max_length: int | None = None):
    """A free-text query parameter (``common.api.params.text_param``)."""
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter(name, text_param_schema(max_length), description=description)


def text_input_pattern(field: serializers.CharField) -> str | None:
    """A pattern for what ``field`` accepts beyond its length bounds, or None."""
    refused = _text_rule_class(field)
    any_char = f"[^{refused}]" if refused else "[\\s\\S]"
    visible = f"[^\\s{refused}]"
    least = field.min_length or (0 if field.allow_blank else 1)
    # Never "*": a blank value is a branch of its own (drf-spectacular adds a ``oneOf``
    # with ``maxLength: 0`` to a blank-allowing field that has a pattern).
    if not field.trim_whitespace:
        return f"^{any_char}+$" if refused else None
    if least == 0:
        return f"^{any_char}+$" if refused else None
    if least == 1:
        return f"^{any_char}*{visible}{any_char}*$"
    # Trimmed length >= least: two visible characters at least ``least - 1`` apart.
    return f"^{any_char}*{visible}{any_char}{{{least - 2},}}{visible}{any_char}*$"


class AutoSchema(openapi.AutoSchema):
    def error_statuses(self) -> list[str]:
        """The error statuses this operation can answer (besides 5xx, which is a bug):

        - 401 without a valid token, 403 when the role may not, on authenticated views;
        - 404 on every operation behind a token or with path parameters (an object out of
          reach, an unknown id in a body, a page past the end);
        - 400 on every operation that reads input (body, query string or path);
        - 409 on writes (a state conflict or an integrity conflict);
        - 415 on operations with a body (an unsupported content type).
        """
        statuses = []
        auth = _requires_auth(self.view)
        has_path_params = "{" in self.path
        if self.method in _BODY_METHODS or self.method == "GET" or has_path_params:
            statuses.append("400")
        if auth:
            statuses.append("401")
        if auth and _checks_roles(self.view):
            statuses.append("403")
        if auth or has_path_params:
            statuses.append("404")
        if self.method in _WRITE_METHODS:
            statuses.append("409")
        if self.method in _BODY_METHODS:
            statuses.append("415")
        handler = getattr(
            self.view, getattr(self.view, "action", None) or self.method.lower(), None
        )
        for status in getattr(handler, "schema_error_statuses", ()):
            if status not in statuses:
                statuses.append(status)
        return sorted(statuses)

    def _error_ref(self) -> dict:
        component = ResolvedComponent(
            name=ERROR_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            schema=ERROR_SCHEMA,
            object=ERROR_COMPONENT,
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            self._document_exports(responses)
            ref = self._error_ref()
            for status in self.error_statuses():
                if status in responses:
                    continue
                responses[status] = {
                    "content": {"application/json": {"schema": ref}},
                    "description": ERROR_DESCRIPTIONS.get(status, ""),
                }
                if status in ERROR_HEADERS:
                    responses[status]["headers"] = ERROR_HEADERS[status]
        return responses

    def _document_exports(self, responses: dict) -> None:
        from common.api.export import EXPORT_FORMATS, ExportMixin

        if not (isinstance(self.view, ExportMixin) and getattr(self.view, "action", "") == "list"):
            return
        content = responses.get("200", {}).get("content", {})
        for renderer in EXPORT_FORMATS.values():
            if renderer.media_type in content:
                content[renderer.media_type] = {"schema": BINARY}

    def get_description(self) -> str:
        action = getattr(self.view, getattr(self.view, "action", self.method.lower()), None)
        action_doc = get_doc(action)
        # Only the view's own docstring: an inherited one describes a mixin, not this API.
        view_doc = get_doc(self.view.__class__) if self.view.__class__.__doc__ else ""
        description = action_doc or view_doc
        from common.api.export import ExportMixin

        if isinstance(self.view, ExportMixin) and getattr(self.view, "action", "") == "list":
            export = (
                "``?format=csv`` or ``?format=xlsx`` answers a file of every matching row "
                "(filters, search and ordering apply; pagination does not)."
            )
            description = f"{description}\n\n{export}" if description else export
        return description

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            direction == "request"
            and isinstance(field, serializers.DecimalField)
            and not has_override(field, "field")
        ):
            meta = self._get_serializer_field_meta(field, direction)
            return append_meta(decimal_input_schema(field), meta)
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not isinstance(schema, dict):
            return schema
        if type(field) in _PLAIN_TEXT_FIELDS or _is_project_text_field(field):
            pattern = text_input_pattern(field)
            if pattern and "pattern" not in schema:
                schema["pattern"] = pattern
        if isinstance(field, serializers.FileField) and not field.allow_empty_file:
            schema["minLength"] = max(schema.get("minLength", 0), 1)
        if (
            isinstance(field, serializers.ListSerializer | serializers.ListField)
            and not field.allow_empty
            and schema.get("type") == "array"
        ):
            schema["minItems"] = max(schema.get("minItems", 0), 1)
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and getattr(serializer, "refuses_unknown_fields", False):
            schema["additionalProperties"] = False
        return schema

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter["in"] == "path" and schema.get("type") == "integer":
                schema.setdefault("minimum", 1)
                schema.setdefault("maximum", BIGINT_MAX)
            if parameter["in"] == "query" and not parameter.get("required"):
                # Every view reads an empty value as no value (``?on=`` is no date filter).
                parameter["allowEmptyValue"] = True
        return parameters
