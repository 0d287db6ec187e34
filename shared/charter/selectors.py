"""Reads of the charter, its findings, the partners' pushed state and annual reports
(public schema only)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from common.months import add_months, month_end
from shared.charter.exceptions import (
    AnnualReportNotFound,
    CharterNotFound,
    CharterVersionNotFound,
    FindingNotFound,
)
from shared.charter.models import AnnualReport, Charter, CharterFinding, PartnerCharterState
from tenants.partners.models import Partner


def charter_in_force(tier: str, on: dt.date) -> Charter:
    """The version of ``tier``'s charter in force on ``on`` (the latest whose
    ``effective_from`` is on or before it). Raises ``CharterNotFound`` naming the tier and
    the date."""
    charter = (
        Charter.objects.filter(tier=tier, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if charter is None:
        raise CharterNotFound(
            _("No charter of tier %(tier)s is in force on %(on)s.")
            % {"tier": tier, "on": on.isoformat()},
            {"tier": tier, "on": on.isoformat()},
        )
    return charter


def charter_list(*, tier: str | None = None, on: dt.date | None = None) -> QuerySet[Charter]:
    """Every version (of ``tier`` when given), newest first per tier; with ``on``, only the
    version of each tier in force on that date."""
    qs = Charter.objects.all()
    if tier:
        qs = qs.filter(tier=tier)
    if on:
        latest = (
            Charter.objects.filter(effective_from__lte=on)
            .order_by("tier", "-effective_from")
            .distinct("tier")
            .values("pk")
        )
        qs = qs.filter(pk__in=latest)
    return qs.order_by("tier", "-effective_from")


def charter_get(*, pk) -> Charter:
    """Raises ``CharterVersionNotFound`` (404)."""
    try:
        return Charter.objects.get(pk=pk)
    except (Charter.DoesNotExist, ValueError, TypeError):
        raise CharterVersionNotFound() from None


def charter_versions_after(tier: str, on: dt.date) -> list[Charter]:
    """Versions of ``tier`` that take effect after ``on``, in date order."""
    return list(Charter.objects.filter(tier=tier, effective_from__gt=on).order_by("effective_from"))


def report_due_on(year: int, charter: Charter) -> dt.date:
    """The last day to file the report of ``year`` under ``charter``: the end of the
    ``report_due_months``-th month after the year's end (6 → 30 June of the next year)."""
    return month_end(add_months(dt.date(year + 1, 1, 1), charter.report_due_months - 1))


def finding_list(
    *,
    partner: Partner | None = None,
    status: str | None = None,
    kind: str | None = None,
    tier: str | None = None,
    partner_slug: str | None = None,
) -> QuerySet[CharterFinding]:
    """Findings, newest first (with partner and charter joined); a partner's host passes
    its own partner, the federation host any or none."""
    qs = CharterFinding.objects.select_related("partner", "charter")
    if partner is not None:
        qs = qs.filter(partner=partner)
    if partner_slug:
        qs = qs.filter(partner__slug=partner_slug)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if tier:
        qs = qs.filter(partner__tier=tier)
    return qs.order_by("-opened_on", "-id")


def finding_get(*, pk, partner: Partner | None = None) -> CharterFinding:
    """Raises ``FindingNotFound``, also for another partner's finding when ``partner`` is
    given."""
    try:
        return finding_list(partner=partner).get(pk=pk)
    except (CharterFinding.DoesNotExist, ValueError, TypeError):
        raise FindingNotFound() from None


def charter_state_get(*, partner: Partner) -> PartnerCharterState | None:
    return PartnerCharterState.objects.filter(partner=partner).first()


def annual_report_list(
    *, partner: Partner | None = None, year: int | None = None, partner_slug: str | None = None
) -> QuerySet[AnnualReport]:
    """Reports by partner and newest year first; a partner's host passes its own partner."""
    qs = AnnualReport.objects.select_related("partner")
    if partner is not None:
        qs = qs.filter(partner=partner)
    if partner_slug:
        qs = qs.filter(partner__slug=partner_slug)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("partner__slug", "-year")


def annual_report_get(*, pk, partner: Partner | None = None) -> AnnualReport:
    """Raises ``AnnualReportNotFound``, also for another partner's report when ``partner``
    is given."""
    try:
        return annual_report_list(partner=partner).get(pk=pk)
    except (AnnualReport.DoesNotExist, ValueError, TypeError):
        raise AnnualReportNotFound() from None


def annual_report_years(*, partner: Partner) -> set[int]:
    return set(AnnualReport.objects.filter(partner=partner).values_list("year", flat=True))
