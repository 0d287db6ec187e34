"""Serializer fields shared by every app's API.

Input fields here read text strictly (``common.api.serializers`` puts them in place of
DRF's own in every serializer, and applies the text rule of ``common.text`` to every
``CharField``): JSON (``JSONField``) is nested at most as deep as a request body may be,
and its strings follow the text rule.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from rest_framework import serializers

from common.api.parsers import JSONTooDeep, json_depth_check
from common.money import round_amount
from common.text import validate_text


class MoneyField(serializers.Field):
    """A read-only money amount rendered as a decimal string with the currency's own
    digits ("119.00" in EUR, "1190" in KRW, "1.500" in KWD).

    The currency is read from the instance (``currency_source``, default ``currency``), or
    from the partner when ``currency_source`` is None. Stored amounts keep three decimals
    for every currency; this is where they are shown as the currency writes them.
    """

    def __init__(self, currency_source: str | None = "currency", **kwargs):
        kwargs["read_only"] = True
        self.currency_source = currency_source
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        amount = super().get_attribute(instance)
        if self.currency_source is None:
            currency = connection.tenant.currency
        else:
            currency = instance
            for part in self.currency_source.split("."):
                if isinstance(currency, dict):
                    currency = currency[part]
                else:
                    currency = getattr(currency, part)
        return (amount, currency)

    def to_representation(self, value):
        amount, currency = value
        if amount is None or not currency:
            return None if amount is None else str(amount)
        return str(round_amount(Decimal(amount), currency))


class JSONField(serializers.JSONField):
    """DRF's ``JSONField``: JSON text (form input) is refused when nested deeper than a
    request body may be (``common.api.parsers``), and every string (keys included)
    follows the text rule."""

    def to_internal_value(self, data):
        if self.binary or getattr(data, "is_json_string", False):
            text = data.decode() if isinstance(data, bytes) else data
            try:
                json_depth_check(text)
            except JSONTooDeep as exc:
                raise serializers.ValidationError(str(exc)) from None
        value = super().to_internal_value(data)
        _validate_json_text(value)
        return value


def _validate_json_text(value) -> None:
    # Iterative: the depth is bounded by the parser, but a walk needs no recursion at all.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            validate_text(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)


class PasswordField(serializers.CharField):
    """A secret, taken exactly as typed: no trimming, and no text rule (a password is
    never shown, and must match what it was set to)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(**kwargs)


# DRF's own classes, exactly, and the strict class that takes each one's place.
_STRICT = {
    serializers.JSONField: JSONField,
}


def strict_field(field: serializers.Field) -> serializers.Field:
    """``field`` made to follow the input rules of this module and of ``common.text``: a
    field of one of DRF's own classes named in ``_STRICT`` is rebuilt as the strict class
    (from the same arguments, as DRF copies a field); every ``CharField`` but a
    ``PasswordField`` gets the text rule; list and dict children likewise."""
    strict = _STRICT.get(type(field))
    if strict is not None:
        field = strict(*field._args, **field._kwargs)
    if isinstance(field, serializers.CharField) and not isinstance(field, PasswordField):
        if validate_text not in field.validators:
            field.validators.append(validate_text)
    if isinstance(field, serializers.ListField | serializers.DictField):
        child = strict_field(field.child)
        if child is not field.child:
            field.child = child
            child.bind(field_name="", parent=field)
    return field
