"""Reads of the local catalogue. Tenant code: runs in the partner's schema the request or
task selected. A member-role user sees only their own subscriptions. Also what a month of
a subscription costs (``subscription_charge_compute``, the rules are in
``services.billing``) and the coverage aggregate (``coverage_compute``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from common.accounts.acting import is_member
from common.money import Money, round_amount
from common.months import days_in_month, month_end, month_start
from common.tenancy import current_partner
from services_catalog.local.exceptions import ServiceNotFound, SubscriptionNotFound
from services_catalog.local.models import (
    PricingModel,
    Service,
    ServiceCharge,
    ServiceUse,
    Subscription,
)
from services_catalog.reference.selectors import core_codes
from tenants.members.models import LedgerEntry, LedgerKind
from tenants.partners.selectors import partner_tier_on


def available_on(on: dt.date, prefix: str = "") -> Q:
    """Services available on ``on`` (``prefix`` e.g. ``"service__"`` from a relation)."""
    return Q(**{f"{prefix}available_from__lte": on}) & (
        Q(**{f"{prefix}available_until__isnull": True}) | Q(**{f"{prefix}available_until__gte": on})
    )


def in_force_on(on: dt.date) -> Q:
    """Subscriptions in force on ``on``."""
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def service_list(
    *, on: dt.date | None = None, reference_code: str | None = None
) -> QuerySet[Service]:
    qs = Service.objects.all()
    if on:
        qs = qs.filter(available_on(on))
    if reference_code is not None:
        qs = qs.filter(reference_code=reference_code)
    return qs.order_by("code")


def service_get(*, pk) -> Service:
    """Raises ``ServiceNotFound``."""
    try:
        return Service.objects.get(pk=pk)
    except (Service.DoesNotExist, ValueError, TypeError):
        raise ServiceNotFound() from None


def subscription_list(
    *, user, service_id=None, on: dt.date | None = None
) -> QuerySet[Subscription]:
    """Subscriptions ``user`` may see: every one for staff, their own for a member."""
    qs = Subscription.objects.select_related("service", "member", "activity")
    if is_member(user):
        qs = qs.filter(member__user_id=user.pk)
    if service_id:
        qs = qs.filter(service_id=service_id)
    if on:
        qs = qs.filter(in_force_on(on))
    return qs.order_by("-starts_on", "id")


def subscription_get(*, user, pk) -> Subscription:
    """Raises ``SubscriptionNotFound`` for a subscription ``user`` may not see."""
    try:
        return subscription_list(user=user).get(pk=pk)
    except (Subscription.DoesNotExist, ValueError, TypeError):
        raise SubscriptionNotFound() from None


def subscriptions_overlapping_month(*, first: dt.date, last: dt.date) -> QuerySet[Subscription]:
    """Subscriptions in force on at least one day between ``first`` and ``last``."""
    return (
        Subscription.objects.select_related("service", "activity")
        .filter(starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .order_by("id")
    )


def service_available(*, service: Service, on: dt.date) -> bool:
    """Whether ``service`` (as stored) is available on ``on``."""
    return Service.objects.filter(pk=service.pk).filter(available_on(on)).exists()


def subscription_in_force(*, subscription: Subscription, on: dt.date) -> bool:
    """Whether ``subscription`` (as stored) is in force on ``on``."""
    return Subscription.objects.filter(pk=subscription.pk).filter(in_force_on(on)).exists()


def charge_list(*, subscription: Subscription) -> QuerySet[ServiceCharge]:
    """``subscription``'s charges, latest month first."""
    return ServiceCharge.objects.filter(subscription=subscription).order_by("-period")


def charge_for_month(*, subscription: Subscription, period: dt.date) -> ServiceCharge | None:
    """The charge of ``subscription`` for the month starting ``period``, or None."""
    return ServiceCharge.objects.filter(subscription=subscription, period=period).first()


def use_list(*, subscription: Subscription) -> QuerySet[ServiceUse]:
    return ServiceUse.objects.filter(subscription=subscription).order_by("used_on", "id")


# --- What a month costs -------------------------------------------------------------


def billed_days(subscription: Subscription, period: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day of month ``period`` on which ``subscription`` is billed (in
    force and the service available), or None."""
    first, last = month_start(period), month_end(period)
    service = subscription.service
    start = max(first, subscription.starts_on, service.available_from)
    ends = [last]
    if subscription.ends_on:
        ends.append(subscription.ends_on)
    if service.available_until:
        ends.append(service.available_until)
    end = min(ends)
    return (start, end) if start <= end else None


def _turnover(activity_id: int, start: dt.date, end: dt.date) -> Decimal:
    """Turnover collected by the activity between ``start`` and ``end`` (inclusive), with
    the corrections of those entries (Decimal, partner currency)."""
    turnover = LedgerKind.TURNOVER_COLLECTED
    total = LedgerEntry.objects.filter(
        Q(kind=turnover) | Q(kind=LedgerKind.CORRECTION, corrects__kind=turnover),
        activity_id=activity_id,
        booked_on__gte=start,
        booked_on__lte=end,
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def subscription_charge_compute(
    *, subscription: Subscription, period: dt.date
) -> tuple[Money, dict[str, Any]]:
    """What ``subscription`` owes for month ``period`` (any day of it): ``(amount, rule)``
    with ``amount`` >= 0 in the partner's currency, rounded, and ``rule`` the computation
    (decimal strings). The rules are in ``services.billing``'s docstring."""
    currency = current_partner().currency
    period = month_start(period)
    service = subscription.service
    days = billed_days(subscription, period)
    model = service.pricing_model
    rule: dict[str, Any] = {"rule": model, "service": service.code, "month": f"{period:%Y-%m}"}
    if days is None or model == PricingModel.FREE:
        return Money.zero(currency), {**rule, "days": 0 if days is None else None}
    start, end = days
    active = (end - start).days + 1
    in_month = days_in_month(period)
    rule.update({"from": start.isoformat(), "to": end.isoformat()})
    if model in (PricingModel.FLAT_MONTHLY, PricingModel.FLAT_YEARLY):
        price = service.price_amount
        monthly = price if model == PricingModel.FLAT_MONTHLY else price / 12
        raw = monthly * active / in_month
        rule.update({"price": str(price), "days": active, "days_in_month": in_month})
    elif model == PricingModel.PERCENTAGE:
        turnover = _turnover(subscription.activity_id, start, end)
        raw = max(turnover, Decimal(0)) * service.percentage / 100
        rule.update({"percentage": str(service.percentage), "turnover": str(turnover)})
    else:  # per use
        uses = ServiceUse.objects.filter(
            subscription=subscription, used_on__gte=start, used_on__lte=end
        ).aggregate(total=Sum("quantity"))["total"] or Decimal(0)
        raw = service.price_amount * uses
        rule.update({"price": str(service.price_amount), "uses": str(uses)})
    amount = round_amount(raw, currency)
    rule["amount"] = str(amount)
    return Money(amount, currency), rule


# --- Coverage -----------------------------------------------------------------------


def coverage_compute(*, as_of: dt.date) -> dict[str, Any]:
    """This partner's coverage on ``as_of``, as aggregates only:
    ``{"tier", "codes_offered", "subscriber_counts", "core_required", "missing_core"}``.

    ``codes_offered``: reference codes of services available on ``as_of``.
    ``subscriber_counts``: distinct members with a subscription in force on ``as_of``, per
    reference code (``"local:<code>"`` for local-only services).
    ``core_required``: the core codes of the partner's tier on that date (the tier from the
    partner's history); ``missing_core``: those not offered.
    """
    partner = current_partner()
    tier = partner_tier_on(partner=partner, on=as_of) or partner.tier
    offered = set(
        Service.objects.filter(available_on(as_of))
        .exclude(reference_code="")
        .values_list("reference_code", flat=True)
    )
    in_force = Subscription.objects.filter(in_force_on(as_of))
    counts: dict[str, int] = {}
    # Distinct members per reference code: two local offers of one reference service
    # subscribed by one member count once.
    for row in (
        in_force.exclude(service__reference_code="")
        .values("service__reference_code")
        .annotate(members=Count("member", distinct=True))
    ):
        counts[row["service__reference_code"]] = row["members"]
    for row in (
        in_force.filter(service__reference_code="")
        .values("service__code")
        .annotate(members=Count("member", distinct=True))
    ):
        counts[f"local:{row['service__code']}"] = row["members"]
    core = core_codes(tier=tier, on=as_of)
    return {
        "tier": tier,
        "codes_offered": sorted(offered),
        "subscriber_counts": dict(sorted(counts.items())),
        "core_required": core,
        "missing_core": sorted(set(core) - offered),
    }
