"""A partner's monthly figures: the aggregates a federation rollup reads.

Computed inside the partner's schema from its own records, and made only of counts and
sums: no name, no identifier of a member, client or document, so the result may leave the
schema (a Celery task pushes it to a public rollup table in the federation layer). Amounts
are decimal strings in the partner's currency, rounded to its digits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from common.money import round_amount
from common.months import month_end, month_start
from tenants.accounting.exceptions import FiguresRangeInvalid

ZERO = Decimal(0)


def _month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    return month_start(month), month_end(month)


def _members_with_status_on(on: dt.date):
    """Members annotated with ``status_then``: their status at the end of ``on``, from the
    dated history (not today's status; None before they applied)."""
    from tenants.members.models import Member, MemberStatusChange

    latest = (
        MemberStatusChange.objects.filter(member=OuterRef("pk"), effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values("to_status")[:1]
    )
    return Member.objects.annotate(status_then=Subquery(latest))


def _members_by_status(on: dt.date) -> dict[str, int]:
    rows = (
        _members_with_status_on(on)
        .exclude(status_then=None)
        .values("status_then")
        .annotate(n=Count("id"))
    )
    return {row["status_then"]: row["n"] for row in rows}


def _ledger_by_kind(first: dt.date, last: dt.date) -> dict[str, Decimal]:
    """Ledger totals booked in the month by kind; a correction counts with the kind of the
    entry it corrects."""
    from tenants.members.models import LedgerEntry

    rows = (
        LedgerEntry.objects.filter(booked_on__range=(first, last))
        .annotate(effective_kind=Coalesce("corrects__kind", "kind"))
        .values("effective_kind")
        .annotate(total=Sum("amount"))
    )
    return {row["effective_kind"]: row["total"] or ZERO for row in rows}


def partner_month_figures(*, month: dt.date) -> dict:
    """The figures of the calendar month containing ``month``.

    Returns a JSON-safe dict: ``month`` (YYYY-MM), ``currency`` (ISO 4217); counts
    ``members`` (by status at the month's end), ``members_admitted`` (became active in the
    month), ``activities_by_sector`` (NACE division → activities of active members),
    ``invoices_issued``, ``credit_notes_issued``; amounts (decimal strings, partner's
    currency) ``turnover_invoiced`` (issued invoices minus credit notes, excluding VAT),
    ``turnover_collected``, ``fees`` (the cooperative's fees, positive), ``salaries``,
    ``expenses``, ``service_charges`` (positive: money that left the activities),
    ``fund_balance`` and ``fund_outstanding`` (at the month's end).
    """
    from tenants.invoicing.models import CreditNote, Invoice
    from tenants.members.models import Activity, MemberStatusChange
    from tenants.payroll.fund_models import FundMovement

    first, last = _month_bounds(month)
    currency = connection.tenant.currency

    def money(value: Decimal | None) -> str:
        return str(round_amount(value or ZERO, currency))

    members = _members_by_status(last)
    admitted = (
        MemberStatusChange.objects.filter(to_status="active", effective_on__range=(first, last))
        .values("member")
        .distinct()
        .count()
    )
    sectors = (
        Activity.objects.filter(
            member__in=_members_with_status_on(last).filter(status_then="active").values("id")
        )
        .values("sector")
        .annotate(n=Count("id"))
    )
    by_division: dict[str, int] = {}
    for row in sectors:
        division = row["sector"][:2]
        by_division[division] = by_division.get(division, 0) + row["n"]

    issued = Invoice.objects.filter(issue_date__range=(first, last)).exclude(number=None)
    invoiced = issued.aggregate(n=Count("id"), total=Sum("total_excl_vat"))
    credited = CreditNote.objects.filter(issue_date__range=(first, last)).aggregate(
        n=Count("id"), total=Sum("total_excl_vat")
    )
    ledger = _ledger_by_kind(first, last)
    fund = FundMovement.objects.filter(booked_on__lte=last).aggregate(
        balance=Sum("amount", default=ZERO, output_field=DecimalField()),
        outstanding=Sum("outstanding_change", default=ZERO, output_field=DecimalField()),
    )
    return {
        "month": first.strftime("%Y-%m"),
        "currency": currency,
        "members": dict(sorted(members.items())),
        "members_admitted": admitted,
        "activities_by_sector": dict(sorted(by_division.items())),
        "invoices_issued": invoiced["n"],
        "credit_notes_issued": credited["n"],
        "turnover_invoiced": money((invoiced["total"] or ZERO) - (credited["total"] or ZERO)),
        "turnover_collected": money(ledger.get("turnover_collected")),
        "fees": money(-ledger.get("fee", ZERO)),
        "salaries": money(-ledger.get("salary", ZERO)),
        "expenses": money(-ledger.get("expense", ZERO)),
        "service_charges": money(-ledger.get("service_charge", ZERO)),
        "fund_balance": money(fund["balance"]),
        "fund_outstanding": money(fund["outstanding"]),
    }


def partner_figures(*, start: dt.date, end: dt.date) -> list[dict]:
    """``partner_month_figures`` for every month from ``start``'s to ``end``'s (inclusive),
    oldest first. Raises ``FiguresRangeInvalid`` (400, naming ``end``) when ``end`` is
    before ``start``."""
    if end < start:
        raise FiguresRangeInvalid(
            _("The end month %(end)s is before the start month %(start)s.")
            % {"end": end.isoformat(), "start": start.isoformat()},
            {"fields": {"end": [_("Before the start.")]}},
        )
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(partner_month_figures(month=month))
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


__all__ = ["partner_figures", "partner_month_figures"]
