"""Reads of the local catalogue. Tenant code: runs in the partner's schema the request or
task selected. A member-role user sees only their own subscriptions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from services_catalog.local.exceptions import ServiceNotFound, SubscriptionNotFound
from services_catalog.local.models import Service, ServiceCharge, ServiceUse, Subscription


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
    if getattr(user, "role", None) == "member":
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


def charge_list(*, subscription: Subscription) -> QuerySet[ServiceCharge]:
    return ServiceCharge.objects.filter(subscription=subscription).order_by("-period")


def use_list(*, subscription: Subscription) -> QuerySet[ServiceUse]:
    return ServiceUse.objects.filter(subscription=subscription).order_by("used_on", "id")
