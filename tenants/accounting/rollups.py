"""Pushing a partner's monthly figures to the federation (runs inside the partner's schema).

For each month: ``month_cells`` computes the cells with their contributors, the
disclosure thresholds in force (``suppression.suppression_rules`` for the partner's tier at
the month's end) decide what is suppressed, and only the publishable values go to the
public table (``shared.rollups.services.rollup_store``), tagged ``FIGURES_VERSION``.

Idempotent: a month's row changes only when its content or version does; re-running a
month, or rebuilding every month, leaves an unchanged row untouched. The nightly run
rebuilds every month from the partner's first record to the current one, so a change to
old data (a credit note dated in an old month, a backdated status change) is picked up by
the next night. Rows carry the version they were computed with: a rebuild after a bump
replaces rows of older versions, and a worker still running older code never overwrites
a newer row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from common.money import round_amount
from common.months import add_months, month_end, month_start
from common.tenancy import current_partner
from shared.rollups.models import BREAKDOWNS
from shared.rollups.services import Publishable, rollup_store
from tenants.accounting.month_cells import MonthCells, month_cells
from tenants.accounting.suppression import suppress, suppression_rules
from tenants.partners.selectors import partner_tier_on

# Bump whenever the definition of a published figure changes (month_cells' docstring,
# the suppression rules' logic, a new cell): rows of older versions are then replaced.
# 2: the federation contribution due is computed (it was unavailable).
FIGURES_VERSION = 2

AMOUNTS = {"salary_mass", "fund_advances", "fund_write_offs", "turnover_by_sector"}


def federation_contribution_due(*, turnover: Decimal, on: dt.date) -> Decimal | None:
    """The federation contribution the partner owes for a month: ``turnover`` (the month's
    turnover invoiced, partner's currency) × the partner's federation contribution rate
    on ``on`` (``tenants.partner_settings.selectors.federation_contribution_rate``), not
    rounded (the caller rounds to the currency). None when no rate is in force on that
    date: the cell is published as unavailable, no rate is assumed."""
    from tenants.partner_settings.exceptions import ContributionRateNotFound
    from tenants.partner_settings.selectors import federation_contribution_rate

    try:
        return turnover * federation_contribution_rate(on=on)
    except ContributionRateNotFound:
        return None


def _value(name: str, value, currency: str):
    base = name.split(".", 1)[0]
    return round_amount(Decimal(value), currency) if base in AMOUNTS else value


def publishable(cells: MonthCells, *, tier: str | None) -> Publishable:
    """The figures of ``cells`` that may leave the schema: primary and secondary
    suppression applied with the rules in force for ``tier`` at the month's end."""
    rules = suppression_rules(tier=tier, on=month_end(cells.month))
    suppressed = suppress(cells.personal, cells.groups, rules).names
    values: dict = {**cells.accounting, **{b: {} for b in BREAKDOWNS}}
    for name, cell in cells.personal.items():
        if name in cells.accounting:
            continue
        shown = None if name in suppressed else _value(name, cell.value, cells.currency)
        base, _sep, key = name.partition(".")
        if key:
            values[base][key] = shown
        else:
            values[name] = shown
    unavailable = set(cells.unavailable)
    for name in unavailable:
        values[name] = None
    contribution = federation_contribution_due(
        turnover=Decimal(cells.accounting["turnover_invoiced"]), on=month_end(cells.month)
    )
    values["federation_contribution_due"] = (
        None if contribution is None else round_amount(contribution, cells.currency)
    )
    if contribution is None:
        unavailable.add("federation_contribution_due")
    return Publishable(
        figures_version=FIGURES_VERSION,
        currency=cells.currency,
        values=values,
        suppressed=tuple(sorted(suppressed)),
        unavailable=tuple(sorted(unavailable)),
    )


def _tier_for_rules(partner, month: dt.date) -> str:
    """The tier whose charter protects ``month``'s figures: the partner's tier at the
    month's end, or, for a month before its registry history begins (records imported
    from before it joined), the tier it joined with. Never none: a month is always
    protected by some charter's thresholds."""
    tier = partner_tier_on(partner=partner, on=month_end(month))
    if tier is None:
        first = partner.events.order_by("effective_on", "id").values_list("tier", flat=True)
        tier = first.first() or partner.tier
    return tier


def rollup_month_push(*, month: dt.date, now: dt.datetime | None = None) -> str:
    """Compute, protect and store the current partner's figures for ``month``'s month.
    Returns what happened to the row (``created``, ``updated``, ``unchanged``,
    ``kept_newer``). Raises ``PartnerRequired`` outside a partner's schema."""
    partner = current_partner()
    figures = publishable(month_cells(month=month), tier=_tier_for_rules(partner, month))
    _row, outcome = rollup_store(
        partner=partner, month=month, figures=figures, now=now or timezone.now()
    )
    return outcome


def first_month() -> dt.date:
    """The first month the partner has anything to report: its founding month or its
    earliest dated record (status change, invoice, ledger entry, contract), whichever is
    earlier; the current month when there is none."""
    from tenants.invoicing.models import Invoice
    from tenants.labour_law.models import Contract
    from tenants.members.models import LedgerEntry, MemberStatusChange

    dates = [
        MemberStatusChange.objects.aggregate(d=Min("effective_on"))["d"],
        Invoice.objects.aggregate(d=Min("issue_date"))["d"],
        LedgerEntry.objects.aggregate(d=Min("booked_on"))["d"],
        Contract.objects.aggregate(d=Min("start"))["d"],
        current_partner().founded_on,
    ]
    known = [d for d in dates if d is not None]
    return month_start(min(known) if known else timezone.localdate())


def rollup_months(*, until: dt.date | None = None) -> list[dt.date]:
    """The first day of every month from ``first_month()`` to ``until``'s (default:
    today's), oldest first."""
    last = month_start(until or timezone.localdate())
    months, month = [], first_month()
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def rollup_rebuild(*, until: dt.date | None = None) -> dict[str, int]:
    """``rollup_month_push`` for every month of ``rollup_months``, with one ``now``.
    Returns the count of each outcome, e.g. ``{"unchanged": 70, "updated": 2}``."""
    now = timezone.now()
    return dict(
        Counter(rollup_month_push(month=month, now=now) for month in rollup_months(until=until))
    )


__all__ = [
    "FIGURES_VERSION",
    "federation_contribution_due",
    "publishable",
    "rollup_month_push",
    "rollup_months",
    "rollup_rebuild",
]
