"""Money: a ``Decimal`` amount with an ISO 4217 currency, never a float.

Rounding follows the currency's own number of minor digits as CLDR (through Babel) knows
them: 2 for EUR and SEK, 0 for CLP and KRW, 3 for KWD. Round once, at the edge, with
``ROUNDING`` (half-up, the usual commercial rule on invoices and payslips).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, list_currencies
from django.utils.translation import gettext as _

from common.errors import CurrencyMismatch, ValidationFailed

ROUNDING = ROUND_HALF_UP
# Stored precision for every money column: enough for KWD's 3 digits and the largest
# turnover a cooperative will see; set once here, used by every model.
MAX_DIGITS = 18
DECIMAL_PLACES = 3


@cache
def currency_digits(currency: str) -> int:
    """Number of minor-unit digits of ``currency`` (ISO 4217 code), e.g. 2 for EUR, 0 for KRW.

    Raises ``ValidationFailed`` for a code CLDR does not know.
    """
    code = validate_currency(currency)
    return get_currency_precision(code)


# ISO 4217 codes that are not money a cooperative keeps accounts in: no currency, the test
# code, precious metals, IMF and bond-market units.
_NOT_MONEY = frozenset(
    {"XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA"}
)


@cache
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies()) - _NOT_MONEY


def validate_currency(currency: str) -> str:
    """Return ``currency`` upper-cased if it is an ISO 4217 code known to CLDR, else raise
    ``ValidationFailed``."""
    code = (currency or "").strip().upper()
    if code not in _known_currencies():
        raise ValidationFailed(
            _("Unknown currency code: %(currency)s.") % {"currency": repr(currency)},
            {"currency": currency},
        )
    return code


@cache
def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: Decimal('0.01') for EUR, Decimal('1') for KRW."""
    return Decimal(1).scaleb(-currency_digits(currency))


def round_amount(amount: Decimal, currency: str, rounding: str = ROUNDING) -> Decimal:
    """Round ``amount`` (Decimal, in ``currency``) to the currency's minor unit, half-up by
    default. A zero is always positive ("0.00", never "-0.00", e.g. for -0.004 EUR)."""
    return unsigned_zero(amount.quantize(minor_unit(currency), rounding=rounding))


# The only text an amount may be written as: an optional sign, ASCII digits, and
# optionally a point followed by more digits. Python's Decimal() also reads other
# scripts' digits ("١٢" is 12), exponents, underscores and surrounding spaces.
_DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def decimal_from_text(text: str) -> Decimal:
    """``text`` (see ``_DECIMAL_TEXT``: ``"12"``, ``"-0.5"``, ``"+3.10"``) as a Decimal,
    zero unsigned. Raises ``ValueError`` for any other text."""
    if not _DECIMAL_TEXT.fullmatch(text):
        raise ValueError(f"not a decimal number: {text!r}")
    return unsigned_zero(Decimal(text))


def unsigned_zero(value: Decimal) -> Decimal:
    """``value``, with a negative zero (``-0``, ``-0.00``) made positive (same exponent)."""
    return value.copy_abs() if value.is_zero() else value


def to_decimal(value: object, field: str = "amount") -> Decimal:
    """Parse a decimal string (see ``decimal_from_text``), an int or a Decimal into a
    finite ``Decimal``, zero unsigned.

    Floats are refused: they cannot represent money exactly. Raises ``ValidationFailed``
    naming ``field``.
    """
    if isinstance(value, float) or isinstance(value, bool):
        raise ValidationFailed(
            _("%(field)s must be a decimal string, not a float.") % {"field": field},
            {field: [_("Use a decimal string.")]},
        )
    try:
        if isinstance(value, Decimal):
            result = value
        elif isinstance(value, int):
            result = Decimal(value)
        else:
            result = decimal_from_text(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("%(field)s is not a decimal number: %(value)s.")
            % {"field": field, "value": repr(value)},
            {field: [_("Not a decimal number.")]},
        ) from None
    if not result.is_finite():
        raise ValidationFailed(
            _("%(field)s must be finite.") % {"field": field}, {field: [_("Must be finite.")]}
        )
    return unsigned_zero(result)


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency. Arithmetic across currencies raises
    ``CurrencyMismatch``; multiplication is by a ``Decimal`` or ``int`` factor only."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))
        object.__setattr__(self, "currency", validate_currency(self.currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"Cannot combine Money with {type(other).__name__}.")
        if other.currency != self.currency:
            raise CurrencyMismatch(
                _("Cannot combine %(currency)s with %(other)s.")
                % {"currency": self.currency, "other": other.currency},
                {"currencies": [self.currency, other.currency]},
            )

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float | bool) or not isinstance(factor, Decimal | int):
            raise TypeError("Money is multiplied by a Decimal or an int, never a float.")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def rounded(self, rounding: str = ROUNDING) -> Money:
        """This amount rounded to the currency's minor unit (half-up by default)."""
        return Money(round_amount(self.amount, self.currency, rounding), self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
