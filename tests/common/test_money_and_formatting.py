"""Money arithmetic and rounding by currency; Babel formatting by locale."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.errors import CurrencyMismatch, ValidationFailed
from common.formatting import format_date, format_money, format_number
from common.money import Money, currency_digits, round_amount, to_decimal


@pytest.mark.parametrize(
    ("currency", "digits"), [("EUR", 2), ("SEK", 2), ("KRW", 0), ("CLP", 0), ("KWD", 3)]
)
def test_currency_digits_come_from_cldr(currency, digits):
    assert currency_digits(currency) == digits


def test_rounding_is_half_up_to_the_currencys_minor_unit():
    assert round_amount(Decimal("2.345"), "EUR") == Decimal("2.35")
    assert round_amount(Decimal("1500.5"), "KRW") == Decimal("1501")
    assert round_amount(Decimal("1.0005"), "KWD") == Decimal("1.001")


def test_money_refuses_to_mix_currencies():
    with pytest.raises(CurrencyMismatch):
        Money(Decimal("1"), "EUR") + Money(Decimal("1"), "SEK")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        Money(Decimal("1"), "EUR") * 1.5
    with pytest.raises(ValidationFailed):
        to_decimal(0.1)


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "", None])
def test_to_decimal_refuses_malformed_values(value):
    with pytest.raises(ValidationFailed):
        to_decimal(value)


def test_unknown_currency_is_refused():
    with pytest.raises(ValidationFailed):
        Money(Decimal("1"), "XYZ")


@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4
    ),
    st.sampled_from(["EUR", "KRW", "KWD"]),
)
def test_rounded_amount_is_within_half_a_minor_unit(amount, currency):
    rounded = Money(amount, currency).rounded().amount
    unit = Decimal(1).scaleb(-currency_digits(currency))
    assert abs(rounded - amount) <= unit / 2
    assert rounded == rounded.quantize(unit)


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("1234.5", "EUR", "de_DE", "1.234,50\xa0€"),
        ("1234.5", "EUR", "fr_BE", "1\u202f234,50\xa0€"),
        ("1234.5", "EUR", "nl_BE", "€\xa01.234,50"),
        ("1234.5", "SEK", "sv_SE", "1\xa0234,50\xa0kr"),
        ("1234567", "KRW", "en", "₩1,234,567"),
        ("1234567", "CLP", "es_ES", "1.234.567\xa0CLP"),
        ("1.5", "KWD", "en", "KWD1.500"),
    ],
)
def test_money_is_formatted_with_the_currencys_digits_in_the_locale(
    amount, currency, locale, expected
):
    assert format_money(Money(Decimal(amount), currency), locale) == expected


def test_numbers_and_dates_follow_the_locale():
    assert format_number(Decimal("1234.5"), "fr_FR", digits=2) == "1\u202f234,50"
    assert format_number(Decimal("1234.5"), "it_IT", digits=2) == "1.234,50"
    assert format_date(dt.date(2026, 3, 1), "fr_FR", "long") == "1 mars 2026"
    assert format_date(dt.date(2026, 3, 1), "sv_SE", "short") == "2026-03-01"
