"""Property: a document's totals equal the sums of its rounded lines, by the rule stated in
``tenants.invoicing.totals``, for currencies with 0, 2 and 3 digits."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from common.money import currency_digits
from tenants.invoicing.totals import document_totals, line_amounts, vat_breakdown

CURRENCIES = ["KRW", "CLP", "EUR", "SEK", "KWD", "BHD"]

quantities = st.decimals(min_value="0.001", max_value="100000", places=3)
prices = st.decimals(min_value="-10000", max_value="1000000", places=3)
rates = st.sampled_from(
    [
        Decimal(r)
        for r in ("0", "0.05", "0.055", "0.07", "0.1", "0.19", "0.2", "0.21", "0.25", "0.255")
    ]
)
lines = st.lists(st.tuples(quantities, prices, rates), min_size=1, max_size=20)


def reference_round(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@settings(max_examples=300, deadline=None)
@given(lines=lines, currency=st.sampled_from(CURRENCIES))
def test_totals_are_the_sums_of_rounded_lines(lines, currency):
    digits = currency_digits(currency)
    amounts = [
        line_amounts(quantity=q, unit_price=p, vat_rate=r, currency=currency) for q, p, r in lines
    ]

    totals = document_totals(amounts)

    expected_net = [reference_round(q * p, digits) for q, p, _r in lines]
    expected_vat = [
        reference_round(n * r, digits) for n, (_q, _p, r) in zip(expected_net, lines, strict=True)
    ]
    assert [a.amount_excl_vat for a in amounts] == expected_net
    assert [a.vat_amount for a in amounts] == expected_vat
    assert totals.total_excl_vat == sum(expected_net)
    assert totals.total_vat == sum(expected_vat)
    assert totals.total_incl_vat == totals.total_excl_vat + totals.total_vat
    for value in (totals.total_excl_vat, totals.total_vat, totals.total_incl_vat):
        assert value == reference_round(value, digits)  # never needs rounding again
    breakdown = vat_breakdown(amounts)
    assert sum(base for _r, base, _v in breakdown) == totals.total_excl_vat
    assert sum(vat for _r, _b, vat in breakdown) == totals.total_vat


@settings(max_examples=100, deadline=None)
@given(lines=lines, currency=st.sampled_from(CURRENCIES))
def test_rounded_amounts_have_the_currencys_digits(lines, currency):
    digits = currency_digits(currency)
    for q, p, r in lines:
        amounts = line_amounts(quantity=q, unit_price=p, vat_rate=r, currency=currency)
        assert -amounts.amount_excl_vat.as_tuple().exponent == digits
        assert -amounts.vat_amount.as_tuple().exponent == digits


def test_half_up_rounding_examples():
    assert line_amounts(
        quantity=Decimal("1"),
        unit_price=Decimal("0.005"),
        vat_rate=Decimal("0.19"),
        currency="EUR",
    ).amount_excl_vat == Decimal("0.01")
    krw = line_amounts(
        quantity=Decimal("3"),
        unit_price=Decimal("333.5"),
        vat_rate=Decimal("0.1"),
        currency="KRW",
    )
    assert (krw.amount_excl_vat, krw.vat_amount) == (Decimal("1001"), Decimal("100"))
    kwd = line_amounts(
        quantity=Decimal("1"),
        unit_price=Decimal("1.2345"),
        vat_rate=Decimal("0"),
        currency="KWD",
    )
    assert kwd.amount_excl_vat == Decimal("1.235")
