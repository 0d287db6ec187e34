"""Input rules the labour-law services and selectors share: the dates rule packs are
written for, a pay period, an amount in the partner's currency, and an activity's balance
used as an employer budget. Each refusal names its field (``extra["fields"]``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from common.errors import ValidationFailed
from common.money import Money, currency_digits, minor_unit, round_amount
from common.months import add_months
from tenants.labour_law.exceptions import ContractExceedsBalance
from tenants.members.models import Activity
from tenants.members.selectors import activity_balance

# Limits on what one request may ask (larger requests are refused with a clear message).
MAX_PERIOD_MONTHS = 12
MAX_PLAN_MONTHS = 60
MAX_AMOUNT = Decimal("1000000000")  # one billion in the partner's currency
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


def check_date(value: dt.date, field: str) -> None:
    """``value`` lies between ``EARLIEST`` and ``LATEST``, the years rule packs cover."""
    if not (EARLIEST <= value <= LATEST):
        raise ValidationFailed(
            _("%(field)s must lie between %(earliest)s and %(latest)s.")
            % {"field": field, "earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            {"fields": {field: [_("Out of the supported range.")]}},
        )


def check_period(period_start: dt.date, period_end: dt.date) -> None:
    """A pay period: both dates in range, end not before start, at most 12 months."""
    check_date(period_start, "period_start")
    check_date(period_end, "period_end")
    if period_end < period_start:
        raise ValidationFailed(
            _("period_end %(end)s is before period_start %(start)s.")
            % {"end": period_end.isoformat(), "start": period_start.isoformat()},
            {"fields": {"period_end": [_("Must not be before period_start.")]}},
        )
    limit = add_months(period_start, MAX_PERIOD_MONTHS) - dt.timedelta(days=1)
    if period_end > limit:
        raise ValidationFailed(
            _(
                "A period lasts at most %(months)s months: from %(start)s it must end by "
                "%(limit)s; split it."
            )
            % {
                "months": MAX_PERIOD_MONTHS,
                "start": period_start.isoformat(),
                "limit": limit.isoformat(),
            },
            {
                "fields": {
                    "period_end": [
                        _("At most %(months)s months after the start.")
                        % {"months": MAX_PERIOD_MONTHS}
                    ]
                }
            },
        )


def money_in(value: Decimal, currency: str, field: str, *, allow_zero: bool = True) -> Money:
    """``value`` as Money in ``currency``: not negative, at most ``MAX_AMOUNT``, and with no
    more decimals than the currency has (2 for EUR and SEK, 0 for KRW)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationFailed(
            _("%(field)s must be a decimal number.") % {"field": field},
            {"fields": {field: [_("A decimal number.")]}},
        )
    if value < 0 or (value == 0 and not allow_zero):
        if value < 0:
            message = _("%(field)s must not be negative (got %(value)s).")
            detail = _("Must not be negative.")
        else:
            message = _("%(field)s must not be zero (got %(value)s).")
            detail = _("Must not be zero.")
        raise ValidationFailed(
            message % {"field": field, "value": value}, {"fields": {field: [detail]}}
        )
    if value > MAX_AMOUNT:
        raise ValidationFailed(
            _("%(field)s must not exceed %(limit)s %(currency)s.")
            % {"field": field, "limit": MAX_AMOUNT, "currency": currency},
            {"fields": {field: [_("At most %(limit)s.") % {"limit": MAX_AMOUNT}]}},
        )
    if value != round_amount(value, currency):
        digits = currency_digits(currency)
        raise ValidationFailed(
            _("%(field)s has more decimals than %(currency)s allows (%(digits)s).")
            % {"field": field, "currency": currency, "digits": digits},
            {
                "fields": {
                    field: [
                        _("At most %(digits)s decimals in %(currency)s.")
                        % {"digits": digits, "currency": currency}
                    ]
                }
            },
        )
    return Money(value.quantize(minor_unit(currency)), currency)


def activity_budget(activity: Activity) -> Money:
    """The activity's balance (Money, partner currency) as an employer budget; a negative
    balance is refused (it must be covered first)."""
    balance = activity_balance(activity=activity)
    if balance.amount < 0:
        raise ContractExceedsBalance(
            _("The activity's balance is negative (%(balance)s); nothing can be paid from it.")
            % {"balance": balance},
            {"activity": activity.pk, "balance": str(balance.amount)},
        )
    return balance
