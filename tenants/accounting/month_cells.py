"""The cells of a partner's month, as disclosure control needs them (inside its schema).

``month_cells`` starts from ``figures.partner_month_figures`` for the partner's own
accounting and registry figures, and adds the personal cells with each contributing
member's part (``suppression.Cell.contributions``), which is what the frequency and
dominance rules look at. Those per-member parts are keyed by member id only here, in
memory; nothing of them is returned beyond the parts' values, and nothing is stored.

Definitions (``rollups.FIGURES_VERSION`` changes with any of them):

- ``salary_mass``: salary entries of the activity ledger booked in the month (employer
  cost: gross plus employer contributions, what leaves the activities; a correction counts
  with the kind it corrects), positive; a member's part is the sum on their activities.
- ``turnover_by_sector``: the month's issued invoices minus its credit notes (excluding
  VAT), by the NACE division of the invoice's activity; the parts add up to
  ``turnover_invoiced``, the partner's published total.
- ``activities`` and ``activities_by_sector``: activities of the members active at the
  month's end, by NACE division (as in ``partner_month_figures``); a member's part is
  their number of activities; the divisions add up to ``activities``.
- ``members_by_contract_type``: members with a contract of that type running during the
  month; a member with two types counts in both, so the types are not additive.
- ``protected_members``: members who meet their country's protection rule at the month's
  end, from their contracts (a contract counts in the month it starts: its gross for a
  monthly threshold such as Germany's, its hours for an hours-over-period rule such as
  France's), checked with ``labour_law.planner.protection_status`` over the twelve months
  ending with this one. Unavailable where the pack has no monthly protection rule, or its
  values are not set for these months.
- ``fund_advances``: guarantee-fund advances booked in the month (positive);
  ``fund_write_offs``: advances written off in the month (positive); a member's part is
  the movements on their activities.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from common.errors import RuleNotFound
from common.money import Money
from common.months import add_months, month_end, month_start, month_starts
from tenants.accounting.figures import _members_with_status_on, partner_month_figures
from tenants.accounting.suppression import Cell, Group

ZERO = Decimal(0)
HISTORY_MONTHS = 12
NO_PROTECTION_RULE = "no_protection_rule"
PROTECTION_VALUES_MISSING = "protection_values_missing"


@dataclass(frozen=True, slots=True)
class MonthCells:
    """``accounting``: the figures that are always published (amounts as Decimal strings
    in the partner's currency, counts as ints); ``personal``: name → ``Cell``
    (breakdown keys as ``"turnover_by_sector.62"``); ``groups``: the additive groups,
    whose totals are in ``personal`` or, for ``turnover_invoiced``, a non-personal cell
    there; ``unavailable``: personal cell name → why it has no value."""

    month: dt.date
    currency: str
    accounting: dict
    personal: dict[str, Cell]
    groups: tuple[Group, ...]
    unavailable: dict[str, str]


def _amount_cell(parts: dict) -> Cell:
    contributions = tuple(v for _, v in sorted(parts.items(), key=lambda kv: str(kv[0])) if v)
    return Cell(sum(parts.values(), ZERO), contributions)


def _count_cell(parts: dict) -> Cell:
    contributions = tuple(v for _, v in sorted(parts.items(), key=lambda kv: str(kv[0])) if v)
    return Cell(sum(parts.values(), 0), contributions, magnitude=False)


def _by_member(rows, value_key: str, sign: int = 1) -> dict:
    out: dict = defaultdict(lambda: ZERO)
    for row in rows:
        out[row["member"]] += sign * (row[value_key] or ZERO)
    return dict(out)


def salary_by_member(first: dt.date, last: dt.date) -> dict:
    from tenants.members.models import LedgerEntry

    rows = (
        LedgerEntry.objects.filter(booked_on__range=(first, last))
        .annotate(effective_kind=Coalesce("corrects__kind", "kind"))
        .filter(effective_kind="salary")
        .values(member=F("activity__member"))
        .annotate(total=Sum("amount"))
    )
    return _by_member(rows, "total", sign=-1)


def turnover_by_sector_and_member(first: dt.date, last: dt.date) -> dict[str, dict]:
    from tenants.invoicing.models import CreditNote, Invoice

    out: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: ZERO))
    invoiced = (
        Invoice.objects.filter(issue_date__range=(first, last))
        .exclude(number=None)
        .values("activity__member", "activity__sector")
        .annotate(total=Sum("total_excl_vat"))
    )
    credited = (
        CreditNote.objects.filter(issue_date__range=(first, last))
        .values("invoice__activity__member", "invoice__activity__sector")
        .annotate(total=Sum("total_excl_vat"))
    )
    for row in invoiced:
        out[row["activity__sector"][:2]][row["activity__member"]] += row["total"] or ZERO
    for row in credited:
        division = row["invoice__activity__sector"][:2]
        out[division][row["invoice__activity__member"]] -= row["total"] or ZERO
    return {division: dict(parts) for division, parts in sorted(out.items())}


def activities_by_sector_and_member(last: dt.date) -> dict[str, dict]:
    from tenants.members.models import Activity

    active = _members_with_status_on(last).filter(status_then="active").values("id")
    out: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for member, sector in Activity.objects.filter(member__in=active).values_list(
        "member", "sector"
    ):
        out[sector[:2]][member] += 1
    return {division: dict(parts) for division, parts in sorted(out.items())}


def contract_types_and_members(first: dt.date, last: dt.date) -> dict[str, dict]:
    from tenants.labour_law.models import Contract

    out: dict[str, dict] = defaultdict(dict)
    rows = (
        Contract.objects.filter(start__lte=last, end__gte=first)
        .values_list("contract_type", "activity__member")
        .distinct()
    )
    for contract_type, member in rows:
        out[contract_type][member] = 1
    return dict(sorted(out.items()))


def fund_by_member(first: dt.date, last: dt.date, kind: str, field: str) -> dict:
    from tenants.payroll.fund_models import FundMovement

    rows = (
        FundMovement.objects.filter(booked_on__range=(first, last), kind=kind)
        .values(member=F("activity__member"))
        .annotate(total=Sum(field))
    )
    return _by_member(rows, "total", sign=-1)


def _monthly_history(first: dt.date) -> tuple[list[dt.date], dict[int, dict]]:
    """Per member with a contract starting in the twelve months ending with ``first``'s:
    ``{member: {month_index: (gross, hours)}}`` summed by month."""
    from tenants.labour_law.models import Contract

    months = month_starts(add_months(first, 1 - HISTORY_MONTHS), HISTORY_MONTHS)
    index = {m: i for i, m in enumerate(months)}
    history: dict[int, dict] = defaultdict(dict)
    rows = Contract.objects.filter(start__range=(months[0], month_end(first))).values_list(
        "activity__member", "start", "gross", "hours"
    )
    for member, start, gross, hours in rows:
        i = index[month_start(start)]
        before = history[member].get(i, (ZERO, ZERO))
        history[member][i] = (before[0] + gross, before[1] + (hours or ZERO))
    return months, history


def protected_members(first: dt.date) -> tuple[dict | None, str | None]:
    """``{member: 1}`` for the members who meet the protection rule at the end of
    ``first``'s month, or (None, reason) when the rule does not apply or cannot be read."""
    from tenants.labour_law.exceptions import PackNotConfigured
    from tenants.labour_law.packs.base import HOURS_OVER_PERIOD, MONTHLY_THRESHOLD
    from tenants.labour_law.planner import protection_status
    from tenants.labour_law.selectors import partner_pack

    try:
        pack = partner_pack()
    except PackNotConfigured:
        return None, PROTECTION_VALUES_MISSING
    kind = pack.module.PROTECTION.kind
    if kind not in (MONTHLY_THRESHOLD, HOURS_OVER_PERIOD):
        return None, NO_PROTECTION_RULE
    months, history = _monthly_history(first)
    protected = {}
    try:
        for member, by_month in history.items():
            values = [by_month.get(i, (ZERO, ZERO)) for i in range(len(months))]
            if kind == MONTHLY_THRESHOLD:
                gross = [Money(g, pack.currency) for g, _ in values]
                status = protection_status(pack, start=months[0], gross=gross)
            else:
                status = protection_status(pack, start=months[0], hours=[h for _, h in values])
            if status.protected:
                protected[member] = 1
    except RuleNotFound:
        return None, PROTECTION_VALUES_MISSING
    return protected, None


def _members_left(first: dt.date, last: dt.date) -> int:
    from tenants.members.models import MemberStatusChange

    return (
        MemberStatusChange.objects.filter(to_status="inactive", effective_on__range=(first, last))
        .values("member")
        .distinct()
        .count()
    )


def _services(first: dt.date, last: dt.date) -> tuple[int, int]:
    from django.db.models import Q

    from services_catalog.local.models import Service, Subscription

    offered = Service.objects.filter(
        Q(available_until__isnull=True) | Q(available_until__gte=first), available_from__lte=last
    ).count()
    subscribed = Subscription.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first), starts_on__lte=last
    ).count()
    return offered, subscribed


def _accounting(month: dt.date, first: dt.date, last: dt.date) -> dict:
    figures = partner_month_figures(month=month)
    members = figures["members"]
    offered, subscribed = _services(first, last)
    return {
        "turnover_invoiced": figures["turnover_invoiced"],
        "turnover_collected": figures["turnover_collected"],
        "fees": figures["fees"],
        "invoices_issued": figures["invoices_issued"],
        "credit_notes_issued": figures["credit_notes_issued"],
        "members_applicant": members.get("applicant", 0),
        "members_active": members.get("active", 0),
        "members_inactive": members.get("inactive", 0),
        "members_joined": figures["members_admitted"],
        "members_left": _members_left(first, last),
        "services_offered": offered,
        "services_subscribed": subscribed,
    }


def _breakdown(prefix: str, parts: dict[str, dict], make) -> dict[str, Cell]:
    return {f"{prefix}.{key}": make(by_member) for key, by_member in parts.items()}


def month_cells(*, month: dt.date) -> MonthCells:
    """The cells of the month containing ``month``; see the module's docstring."""
    from django.db import connection

    first, last = month_start(month), month_end(month)
    accounting = _accounting(month, first, last)
    sectors = turnover_by_sector_and_member(first, last)
    activities = activities_by_sector_and_member(last)
    personal: dict[str, Cell] = {
        "salary_mass": _amount_cell(salary_by_member(first, last)),
        "fund_advances": _amount_cell(fund_by_member(first, last, "advance", "amount")),
        "fund_write_offs": _amount_cell(
            fund_by_member(first, last, "write_off", "outstanding_change")
        ),
        "activities": _count_cell(_sum_counts(activities)),
        **_breakdown("activities_by_sector", activities, _count_cell),
        **_breakdown("turnover_by_sector", sectors, _amount_cell),
        **_breakdown(
            "members_by_contract_type", contract_types_and_members(first, last), _count_cell
        ),
        # The partner's own total: a non-personal cell, never suppressed, in the group.
        "turnover_invoiced": Cell(Decimal(accounting["turnover_invoiced"]), personal=False),
    }
    unavailable = {}
    protected, reason = protected_members(first)
    if protected is None:
        unavailable["protected_members"] = reason
    else:
        personal["protected_members"] = _count_cell(protected)
    groups = (
        Group("turnover_invoiced", tuple(f"turnover_by_sector.{k}" for k in sectors)),
        Group("activities", tuple(f"activities_by_sector.{k}" for k in activities)),
    )
    return MonthCells(first, connection.tenant.currency, accounting, personal, groups, unavailable)


def _sum_counts(by_sector: dict[str, dict]) -> dict:
    out: dict = defaultdict(int)
    for parts in by_sector.values():
        for member, n in parts.items():
            out[member] += n
    return dict(out)
