"""Small helpers shared by the labour-law tests."""

from __future__ import annotations

import calendar
from datetime import date

from common.money import Money
from tenants.labour_law.engine import simulate


def month(year: int, month_: int) -> tuple[date, date]:
    """First and last day of a calendar month."""
    return date(year, month_, 1), date(year, month_, calendar.monthrange(year, month_)[1])


def simulate_month(pack, amount: str, year: int, month_: int, **kwargs):
    start, end = month(year, month_)
    return simulate(
        pack, amount=Money(amount, pack.currency), period_start=start, period_end=end, **kwargs
    )


def figures(sim) -> tuple[str, ...]:
    """(gross, employer contributions, employee contributions, withholding, net)."""
    return tuple(
        str(m.amount)
        for m in (
            sim.gross,
            sim.employer_contributions,
            sim.employee_contributions,
            sim.withholding,
            sim.net,
        )
    )
