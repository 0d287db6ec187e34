"""Serializer fields shared by every app's API."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.money import round_amount

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
            from django.db import connection

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
