"""Serializer fields shared by every app's API.

Input fields here read text strictly (``common.api.serializers`` puts them in place of
DRF's own in every serializer, and applies the text rule of ``common.text`` to every
``CharField``):

- numbers (``DecimalField``, ``IntegerField``) written as text take only an optional
  sign and ASCII digits (and, for decimals, a point and more digits); a JSON number is
  taken as it is; a zero is never negative;
- dates (``DateField``) are ISO 8601 ``YYYY-MM-DD`` only (``common.dates.iso_date``);
- JSON (``JSONField``) is nested at most as deep as a request body may be, and its
  strings follow the text rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.parsers import JSONTooDeep, json_depth_check
from common.dates import iso_date, validate_birth_date
from common.money import decimal_from_text, round_amount, unsigned_zero
from common.text import validate_text

# What MoneyField renders: a decimal string, never a float or an object (the currency is a
# field of its own beside it).
MONEY_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
    "example": "119.00",
}


@extend_schema_field(MONEY_SCHEMA)
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


class DecimalField(serializers.DecimalField):
    """DRF's ``DecimalField``, reading text as ``common.money.decimal_from_text`` does
    (``"١٢"``, ``"1e3"``, ``"1_000"`` and ``" 12 "`` are refused) and never giving -0."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > self.MAX_STRING_LENGTH:
                self.fail("max_string_length")
            try:
                data = decimal_from_text(data)
            except ValueError:
                self.fail("invalid")
        elif isinstance(data, bool) or not isinstance(data, int | Decimal):
            # A JSON number arrives as an int or a Decimal (common.api.parsers); anything
            # else (true, a list, a float from Python code) is not an amount.
            self.fail("invalid")
        return unsigned_zero(super().to_internal_value(data))

    def to_representation(self, value):
        if isinstance(value, Decimal):
            value = unsigned_zero(value)
        return super().to_representation(value)


class IntegerField(serializers.IntegerField):
    """DRF's ``IntegerField``, reading text as an optional sign and ASCII digits only
    (DRF's own takes ``"١٢"``, ``" 12 "`` and ``"12.0"``)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > self.MAX_STRING_LENGTH:
                self.fail("max_string_length")
            body = data[1:] if data[:1] in ("+", "-") else data
            if not (body.isascii() and body.isdigit()):
                self.fail("invalid")
        elif isinstance(data, bool) or not isinstance(data, int | Decimal):
            self.fail("invalid")
        elif isinstance(data, Decimal) and data != data.to_integral_value():
            self.fail("invalid")
        return super().to_internal_value(data)


class DateField(serializers.DateField):
    """DRF's ``DateField``, reading text as ISO 8601 ``YYYY-MM-DD`` only."""

    def to_internal_value(self, value):
        if isinstance(value, dt.datetime):
            self.fail("datetime")
        if isinstance(value, dt.date):
            return value
        try:
            return iso_date(value)
        except ValueError:
            self.fail("invalid", format="YYYY-MM-DD")


class BirthDateField(DateField):
    """A birth date: ISO, and a plausible age today (``common.dates.validate_birth_date``)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_birth_date_plausible)


def _birth_date_plausible(value: dt.date) -> None:
    validate_birth_date(value, today=timezone.localdate())


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
    serializers.DecimalField: DecimalField,
    serializers.IntegerField: IntegerField,
    serializers.DateField: DateField,
    serializers.JSONField: JSONField,
}


def _strings_only(field: serializers.CharField):
    parse = field.to_internal_value

    def to_internal_value(data):
        if not isinstance(data, str):
            field.fail("invalid")
        return parse(data)

    return to_internal_value


def strict_field(field: serializers.Field) -> serializers.Field:
    """``field`` made to follow the input rules of this module and of ``common.text``: a
    field of one of DRF's own number, date or JSON classes is rebuilt as the strict class
    (from the same arguments, as DRF copies a field); every ``CharField`` but a
    ``PasswordField`` gets the text rule and takes only strings (DRF's would read the
    JSON number ``12`` as ``"12"``); list and dict children likewise."""
    strict = _STRICT.get(type(field))
    if strict is not None:
        field = strict(*field._args, **field._kwargs)
    if isinstance(field, serializers.CharField) and not isinstance(field, PasswordField):
        if validate_text not in field.validators:
            field.validators.append(validate_text)
            field.to_internal_value = _strings_only(field)
    if isinstance(field, serializers.ListField | serializers.DictField):
        child = strict_field(field.child)
        if child is not field.child:
            field.child = child
            child.bind(field_name="", parent=field)
    return field
