"""Reads of the reference catalogue and of the coverage rollup (public schema only)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from services_catalog.reference.exceptions import ReferenceServiceNotFound
from services_catalog.reference.models import (
    CoverageSnapshot,
    Level,
    ReferenceService,
    TierRequirement,
)


def _in_force(on: dt.date) -> Q:
    return Q(effective_from__lte=on) & (
        Q(effective_until__isnull=True) | Q(effective_until__gte=on)
    )


def reference_service_list(
    *, tier: str | None = None, level: str | None = None, on: dt.date | None = None
) -> QuerySet[ReferenceService]:
    """Reference services with their requirements prefetched. With ``tier`` (and
    optionally ``level``), only services having a requirement of that tier in force on
    ``on`` (any date when ``on`` is None)."""
    qs = ReferenceService.objects.prefetch_related(
        Prefetch(
            "requirements", queryset=TierRequirement.objects.order_by("tier", "effective_from")
        )
    )
    if tier or level or on:
        requirements = TierRequirement.objects.all()
        if tier:
            requirements = requirements.filter(tier=tier)
        if level:
            requirements = requirements.filter(level=level)
        if on:
            requirements = requirements.filter(_in_force(on))
        qs = qs.filter(pk__in=requirements.values("service_id"))
    return qs.order_by("code")


def reference_service_get(*, code: str) -> ReferenceService:
    """The service with ``code``; raises ``ReferenceServiceNotFound``."""
    try:
        return reference_service_list().get(code=code)
    except ReferenceService.DoesNotExist:
        raise ReferenceServiceNotFound(extra={"code": code}) from None


def reference_codes() -> set[str]:
    return set(ReferenceService.objects.values_list("code", flat=True))


def requirement_list(
    *, tier: str | None = None, code: str | None = None, on: dt.date | None = None
) -> QuerySet[TierRequirement]:
    qs = TierRequirement.objects.select_related("service")
    if tier:
        qs = qs.filter(tier=tier)
    if code:
        qs = qs.filter(service__code=code)
    if on:
        qs = qs.filter(_in_force(on))
    return qs.order_by("service__code", "tier", "effective_from")


def core_codes(*, tier: str, on: dt.date) -> list[str]:
    """Sorted reference codes every partner of ``tier`` must offer on ``on``."""
    return sorted(
        requirement_list(tier=tier, on=on)
        .filter(level=Level.CORE)
        .values_list("service__code", flat=True)
        .distinct()
    )


def coverage_latest(
    *, as_of: dt.date | None = None, tier: str | None = None
) -> QuerySet[CoverageSnapshot]:
    """One snapshot per partner: the latest (on or before ``as_of`` when given), with the
    partner joined. Reads the rollup table only, never a partner's schema."""
    qs = CoverageSnapshot.objects.select_related("partner")
    if as_of:
        qs = qs.filter(as_of__lte=as_of)
    if tier:
        qs = qs.filter(tier=tier)
    latest = qs.order_by("partner_id", "-as_of").distinct("partner_id").values("pk")
    return (
        CoverageSnapshot.objects.select_related("partner")
        .filter(pk__in=latest)
        .order_by("partner__slug")
    )


def coverage_for_partner(*, slug: str) -> QuerySet[CoverageSnapshot]:
    """Every snapshot of one partner, newest first."""
    return (
        CoverageSnapshot.objects.select_related("partner")
        .filter(partner__slug=slug)
        .order_by("-as_of")
    )
