"""Line and document amounts: the rounding rule of every invoice, credit note and estimate.

The rule (``ROUND_HALF_UP`` to the currency's minor unit, ``common.money.round_amount``):

1. a line's amount excluding VAT is ``round(quantity × unit_price)``;
2. a line's VAT is ``round(rounded line amount × vat_rate)``;
3. a document's total excluding VAT is the sum of its rounded line amounts, its VAT the sum
   of its rounded line VAT amounts, its total including VAT the sum of both totals.

So the totals never need rounding again and always equal the sum of what the lines
print. Digits: 0 for KRW and CLP, 2 for EUR and SEK, 3 for KWD and BHD.

Input bounds (bad input gives ``InvoicingInvalid``, never a database error): a quantity is
positive with at most 3 decimals and below one billion; a unit price has at most 3
decimals and may be negative (a discount or a deducted deposit) but the document's total
must be positive to be issued; a VAT rate is a fraction from 0 to 1 (0.19 = 19 %) with at
most 4 decimals; every amount stays below ``MAX_AMOUNT``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from common.errors import ValidationFailed
from common.money import DECIMAL_PLACES, MAX_DIGITS, currency_digits, round_amount, to_decimal
from tenants.invoicing.exceptions import invalid_field

# Largest absolute amount a money column holds (MAX_DIGITS with DECIMAL_PLACES decimals).
MAX_AMOUNT = Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES) - 1
MAX_QUANTITY = Decimal(10) ** 9
QUANTITY_PLACES = 3
UNIT_PRICE_PLACES = DECIMAL_PLACES
VAT_RATE_PLACES = 4
MAX_LINES = 200
MAX_DESCRIPTION = 500


@dataclass(frozen=True, slots=True)
class LineInput:
    """A validated line: ``vat_rate`` None means "the rules decide"."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LineAmounts:
    """The rounded amounts of one line, in the document's currency."""

    amount_excl_vat: Decimal
    vat_rate: Decimal
    vat_amount: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    total_excl_vat: Decimal
    total_vat: Decimal
    total_incl_vat: Decimal


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return to_decimal(value, field)
    except ValidationFailed:
        raise invalid_field(
            field, _('Not a decimal number (use a string such as "12.50").')
        ) from None


def line_parse(raw: Mapping[str, Any], field: str = "lines[0]") -> LineInput:
    """Check one raw line ``{"description", "quantity", "unit_price", "vat_rate"?}`` (decimal
    strings) and return a ``LineInput``. Raises ``InvoicingInvalid`` naming the field, e.g.
    ``lines[2].quantity``."""
    if not isinstance(raw, Mapping):
        raise invalid_field(field, _("A line is an object."))
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise invalid_field(f"{field}.description", _("A description is required."))
    if len(description) > MAX_DESCRIPTION:
        raise invalid_field(
            f"{field}.description",
            _("At most %(n)d characters.") % {"n": MAX_DESCRIPTION},
        )
    quantity = _decimal(raw.get("quantity"), f"{field}.quantity")
    if quantity <= 0:
        raise invalid_field(f"{field}.quantity", _("The quantity must be positive."))
    if quantity >= MAX_QUANTITY:
        raise invalid_field(f"{field}.quantity", _("The quantity is too large."))
    if _places(quantity) > QUANTITY_PLACES:
        raise invalid_field(
            f"{field}.quantity", _("At most %(n)d decimals.") % {"n": QUANTITY_PLACES}
        )
    unit_price = _decimal(raw.get("unit_price"), f"{field}.unit_price")
    if abs(unit_price) > MAX_AMOUNT:
        raise invalid_field(f"{field}.unit_price", _("The unit price is too large."))
    if _places(unit_price) > UNIT_PRICE_PLACES:
        raise invalid_field(
            f"{field}.unit_price", _("At most %(n)d decimals.") % {"n": UNIT_PRICE_PLACES}
        )
    rate = raw.get("vat_rate")
    vat_rate = None
    if rate is not None and rate != "":
        vat_rate = _decimal(rate, f"{field}.vat_rate")
        if not (0 <= vat_rate <= 1):
            raise invalid_field(
                f"{field}.vat_rate",
                _("A VAT rate is a fraction between 0 and 1 (0.19 for 19 %)."),
            )
        if _places(vat_rate) > VAT_RATE_PLACES:
            raise invalid_field(
                f"{field}.vat_rate", _("At most %(n)d decimals.") % {"n": VAT_RATE_PLACES}
            )
        vat_rate = vat_rate.normalize() if vat_rate else Decimal(0)
    return LineInput(description.strip(), quantity, unit_price, vat_rate)


def lines_parse(raw_lines: Any, *, required: bool = True) -> list[LineInput]:
    """Check a list of raw lines (see ``line_parse``); at least one when ``required``."""
    if raw_lines is None:
        raw_lines = []
    if not isinstance(raw_lines, list | tuple):
        raise invalid_field("lines", _("Lines are a list."))
    if required and not raw_lines:
        raise invalid_field("lines", _("At least one line is required."))
    if len(raw_lines) > MAX_LINES:
        raise invalid_field("lines", _("At most %(n)d lines.") % {"n": MAX_LINES})
    return [line_parse(raw, f"lines[{i}]") for i, raw in enumerate(raw_lines)]


def line_amounts(
    *, quantity: Decimal, unit_price: Decimal, vat_rate: Decimal, currency: str, field: str = ""
) -> LineAmounts:
    """The rounded amounts of a line (rule 1 and 2 of this module)."""
    net = round_amount(quantity * unit_price, currency)
    vat = round_amount(net * vat_rate, currency)
    if abs(net) + abs(vat) > MAX_AMOUNT:
        raise invalid_field(field or "lines", _("The line amount is too large."))
    return LineAmounts(net, vat_rate, vat)


def document_totals(lines: Iterable[LineAmounts]) -> Totals:
    """Rule 3: the sums of the rounded line amounts. Raises ``InvoicingInvalid`` when a
    total would not fit a money column."""
    excl = Decimal(0)
    vat = Decimal(0)
    for line in lines:
        excl += line.amount_excl_vat
        vat += line.vat_amount
    total = excl + vat
    if max(abs(excl), abs(vat), abs(total)) > MAX_AMOUNT:
        raise invalid_field("lines", _("The document's total is too large."))
    return Totals(excl, vat, total)


def vat_breakdown(lines: Iterable[LineAmounts]) -> list[tuple[Decimal, Decimal, Decimal]]:
    """``[(rate, base, vat)]`` per VAT rate, sorted by rate: sums of rounded lines (what a
    VAT summary on the PDF prints)."""
    by_rate: dict[Decimal, list[Decimal]] = {}
    for line in lines:
        sums = by_rate.setdefault(line.vat_rate, [Decimal(0), Decimal(0)])
        sums[0] += line.amount_excl_vat
        sums[1] += line.vat_amount
    return [(rate, base, vat) for rate, (base, vat) in sorted(by_rate.items())]


def money_parse(value: Any, *, currency: str, field: str = "amount") -> Decimal:
    """A money amount from a decimal string, with at most the currency's digits (2 for EUR,
    0 for KRW) and within ``MAX_AMOUNT``. Raises ``InvoicingInvalid`` naming ``field``."""
    amount = _decimal(value, field)
    if abs(amount) > MAX_AMOUNT:
        raise invalid_field(field, _("The amount is too large."))
    if amount != round_amount(amount, currency):
        raise invalid_field(
            field,
            _("%(currency)s amounts have at most %(n)d decimals.")
            % {"currency": currency, "n": currency_digits(currency)},
        )
    return amount
