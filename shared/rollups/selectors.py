"""Reading the federation's rollups (public tables only).

A reader never turns a missing cell into 0: ``rollup_cells`` gives each cell with its
state (``published``, ``suppressed`` or ``unavailable``), and the EUR conversion keeps a
missing cell missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from shared.exchange_rates.selectors import to_eur
from shared.rollups.models import BREAKDOWNS, PartnerMonthFigures
from shared.rollups.services import CELLS
from tenants.partners.models import Partner

PUBLISHED, SUPPRESSED, UNAVAILABLE = "published", "suppressed", "unavailable"
# Cells that are amounts in the partner's currency (the others are counts).
AMOUNT_CELLS = (
    "turnover_invoiced",
    "turnover_collected",
    "fees",
    "federation_contribution_due",
    "salary_mass",
    "fund_advances",
    "fund_write_offs",
)
AMOUNT_BREAKDOWNS = ("turnover_by_sector",)


@dataclass(frozen=True, slots=True)
class CellReading:
    """A cell as a reader shows it: ``state`` and, when published, ``value`` (Decimal for
    amounts, int for counts); None otherwise, never 0."""

    state: str
    value: Decimal | int | None


def rollup_list(
    *, partner: Partner | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[PartnerMonthFigures]:
    """Rows by partner and month, optionally of one ``partner`` and from ``start``'s month
    to ``end``'s (inclusive)."""
    rows = PartnerMonthFigures.objects.select_related("partner").order_by("partner__slug", "month")
    if partner is not None:
        rows = rows.filter(partner=partner)
    if start is not None:
        rows = rows.filter(month__gte=start.replace(day=1))
    if end is not None:
        rows = rows.filter(month__lte=end)
    return rows


def _state(row: PartnerMonthFigures, name: str) -> str:
    if name in row.suppressed:
        return SUPPRESSED
    if name in row.unavailable:
        return UNAVAILABLE
    return PUBLISHED


def _reading(row, name: str, value, amount: bool) -> CellReading:
    state = _state(row, name)
    if state != PUBLISHED:
        return CellReading(state, None)
    return CellReading(state, Decimal(value) if amount else value)


def rollup_cells(row: PartnerMonthFigures) -> dict[str, CellReading]:
    """Every cell of ``row`` by name (a breakdown's as ``"turnover_by_sector.62"``)."""
    cells = {}
    for name in CELLS:
        value = getattr(row, name)
        if name in BREAKDOWNS:
            for key, item in sorted(value.items()):
                full = f"{name}.{key}"
                cells[full] = _reading(row, full, item, name in AMOUNT_BREAKDOWNS)
        else:
            cells[name] = _reading(row, name, value, name in AMOUNT_CELLS)
    return cells


def rollup_amounts_in_eur(row: PartnerMonthFigures) -> dict[str, CellReading]:
    """The amount cells of ``row`` converted to euros at the month's rate
    (``shared.exchange_rates.selectors.to_eur``: the mean of the month's ECB daily rates),
    unrounded beyond 6 decimals; suppressed and unavailable cells stay so. Raises
    ``ExchangeRateMissing`` naming the currency and month when the partner's currency has
    no rate that month (the Chilean peso, for one): never a silent 1.0."""
    out = {}
    for name, reading in rollup_cells(row).items():
        base = name.split(".", 1)[0]
        if base not in AMOUNT_CELLS and base not in AMOUNT_BREAKDOWNS:
            continue
        if reading.state != PUBLISHED:
            out[name] = reading
        else:
            out[name] = CellReading(PUBLISHED, to_eur(reading.value, row.currency, row.month))
    return out
