"""Calendar-month arithmetic: pay periods, billing months and protection plans all count
in whole months."""

from __future__ import annotations

import calendar
import datetime as dt


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month (28 to 31)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def days_in_month(day: dt.date) -> int:
    """How many days ``day``'s month has (28 to 31)."""
    return calendar.monthrange(day.year, day.month)[1]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` (negative to go back), clamped to the target month's
    last day: 31 January + 1 month is 28 (or 29) February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def month_starts(first: dt.date, count: int) -> list[dt.date]:
    """The first days of ``count`` consecutive months from ``first``'s month."""
    start = month_start(first)
    return [add_months(start, i) for i in range(count)]
