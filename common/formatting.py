"""Formatting of money, numbers and dates with Babel, in the user's or the partner's
locale (fr_BE, nl_BE, fr_FR, de_DE, de_AT, it_IT, es_ES, sv_SE, en...)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal

from common.money import Money


def format_money(money: Money, locale: str) -> str:
    """``Money(Decimal('1234.5'), 'EUR')`` in ``de_DE`` gives ``'1.234,50 €'``; the number of
    fraction digits is the currency's own (0 for KRW and CLP, 3 for KWD)."""
    return format_currency(money.amount, money.currency, locale=locale, currency_digits=True)


def format_number(value: Decimal | int, locale: str, digits: int | None = None) -> str:
    """A number with the locale's separators; ``digits`` fixes the fraction digits."""
    if digits is None:
        return format_decimal(value, locale=locale)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


def format_date(value: dt.date, locale: str, style: str = "medium") -> str:
    """A date in the locale's ``short``, ``medium``, ``long`` or ``full`` style."""
    return babel_format_date(value, format=style, locale=locale)
