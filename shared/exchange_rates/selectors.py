"""Reading exchange rates: a month's rate and the conversion to euros.

The rate of a month is the arithmetic mean of the ECB's daily reference rates published
in that calendar month (the usual "monthly average" of statistical offices, and what the
ECB itself publishes as its monthly series), kept at 6 decimals, half up. A month with no
published day for the currency has no rate: ``ExchangeRateMissing`` names the currency and
month; there is never a fallback rate.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg
from django.utils.translation import gettext as _

from common.months import month_end, month_start
from shared.exchange_rates.exceptions import ExchangeRateMissing
from shared.exchange_rates.models import RATE_DECIMAL_PLACES, ExchangeRate

EUR = "EUR"
_RATE_QUANTUM = Decimal(1).scaleb(-RATE_DECIMAL_PLACES)


def monthly_rate(*, currency: str, month: dt.date) -> Decimal:
    """Units of ``currency`` per euro in the month of ``month`` (any day): the mean of
    that month's daily rates, 6 decimals. ``Decimal(1)`` for EUR. Raises
    ``ExchangeRateMissing`` (naming ``currency`` and the month, YYYY-MM) when no daily
    rate of the month is known."""
    if currency == EUR:
        return Decimal(1)
    mean = ExchangeRate.objects.filter(
        currency=currency, date__range=(month_start(month), month_end(month))
    ).aggregate(mean=Avg("rate"))["mean"]
    if mean is None:
        label = month_start(month).strftime("%Y-%m")
        raise ExchangeRateMissing(
            _("No exchange rate is known for %(currency)s in %(month)s.")
            % {"currency": currency, "month": label},
            {"currency": currency, "month": label},
        )
    return Decimal(mean).quantize(_RATE_QUANTUM, rounding=ROUND_HALF_UP)


def to_eur(amount: Decimal, currency: str, month: dt.date) -> Decimal:
    """``amount`` (Decimal, in ``currency``) in euros at the month's rate
    (``monthly_rate``), unrounded beyond 6 decimals: round once, at the edge
    (``common.money.round_amount(value, "EUR")``). EUR is returned as it is. Raises
    ``ExchangeRateMissing`` naming the currency and month."""
    if currency == EUR:
        return amount
    return (amount / monthly_rate(currency=currency, month=month)).quantize(
        _RATE_QUANTUM, rounding=ROUND_HALF_UP
    )


def currencies_known() -> list[str]:
    """The currencies that have at least one rate, sorted."""
    return list(
        ExchangeRate.objects.order_by("currency").values_list("currency", flat=True).distinct()
    )
