"""Members' subscriptions to the partner's services, and the uses recorded for per-use
services. A subscription is made by staff or by the member for their own activity; its
charges go to that activity. Every write records an audit row (``subscription.create``,
``subscription.end``, ``service_use.record``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from common.accounts.acting import saved_user
from common.money import to_decimal
from common.months import month_end, month_start
from services_catalog.local import selectors
from services_catalog.local.exceptions import (
    ServiceUseInvalid,
    SubscriptionInvalid,
    SubscriptionOverlap,
)
from services_catalog.local.models import PricingModel, Service, ServiceUse, Subscription
from tenants.audit.services import audit_record, audit_snapshot
from tenants.members.models import Activity, ActivityStatus, Member


def _check_dates(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise SubscriptionInvalid(
            _("A subscription cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": ends_on.isoformat(), "start": starts_on.isoformat()},
            {"fields": {"ends_on": [_("Must be on or after starts_on.")]}},
        )


def _check_overlap(
    *,
    member_id: int,
    service: Service,
    starts_on: dt.date,
    ends_on: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    others = Subscription.objects.filter(member_id=member_id, service=service).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        others = others.filter(starts_on__lte=ends_on)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.order_by("starts_on").first()
    if other is not None:
        until = other.ends_on.isoformat() if other.ends_on else _("no end date")
        raise SubscriptionOverlap(
            _(
                "This member already subscribes to %(service)s from %(start)s to %(end)s; the "
                "periods may not overlap."
            )
            % {"service": service.code, "start": other.starts_on.isoformat(), "end": until},
            {"fields": {"starts_on": [_("Overlaps another subscription.")]}, "existing": other.pk},
        )


@transaction.atomic
def subscription_create(
    *,
    activity: Activity,
    service: Service,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    created_by=None,
) -> Subscription:
    """Subscribe the member who runs ``activity`` to ``service`` from ``starts_on`` to
    ``ends_on`` (inclusive, None: open-ended); charges go to ``activity``. ``created_by``
    (a User, None for a task or a command) is the actor of the audit row.

    The service must be available on ``starts_on``. Raises ``SubscriptionInvalid``
    (ending before starting, service not available, closed activity) or
    ``SubscriptionOverlap`` (the member already subscribes to it on one of these days).
    """
    _check_dates(starts_on, ends_on)
    if activity.status == ActivityStatus.CLOSED:
        raise SubscriptionInvalid(
            _("This activity is closed."), {"fields": {"activity": [_("Closed activity.")]}}
        )
    if not selectors.service_available(service=service, on=starts_on):
        if service.available_until:
            message = _(
                "%(service)s is not available on %(date)s (available from %(start)s to %(end)s)."
            )
        else:
            message = _("%(service)s is not available on %(date)s (available from %(start)s).")
        raise SubscriptionInvalid(
            message
            % {
                "service": service.code,
                "date": starts_on.isoformat(),
                "start": service.available_from.isoformat(),
                "end": service.available_until.isoformat() if service.available_until else "",
            },
            {"fields": {"starts_on": [_("The service is not available on this date.")]}},
        )
    # Lock the member: two concurrent subscriptions of one member are checked in turn.
    Member.objects.select_for_update().filter(pk=activity.member_id).first()
    _check_overlap(
        member_id=activity.member_id, service=service, starts_on=starts_on, ends_on=ends_on
    )
    subscription = Subscription.objects.create(
        member_id=activity.member_id,
        activity=activity,
        service=service,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=saved_user(created_by),
    )
    audit_record(
        actor=created_by,
        action="subscription.create",
        obj=subscription,
        changes=audit_snapshot(
            subscription, ["member", "activity", "service", "starts_on", "ends_on"]
        ),
    )
    return subscription


@transaction.atomic
def subscription_end(*, subscription: Subscription, ends_on: dt.date, actor) -> Subscription:
    """End ``subscription`` on ``ends_on`` (its last day, inclusive). Refused before it
    starts, before the end of a month already billed, or when the new period would overlap
    another subscription of the member to the same service. ``actor``: a User, or None."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    _check_dates(subscription.starts_on, ends_on)
    last_billed = selectors.charge_list(subscription=subscription).first()
    if last_billed is not None:
        billed_until = month_end(last_billed.period)
        if ends_on < billed_until:
            raise SubscriptionInvalid(
                _("%(month)s is already billed; end on %(date)s or later.")
                % {"month": f"{last_billed.period:%Y-%m}", "date": billed_until.isoformat()},
                {"fields": {"ends_on": [_("Before the end of a billed month.")]}},
            )
    _check_overlap(
        member_id=subscription.member_id,
        service=subscription.service,
        starts_on=subscription.starts_on,
        ends_on=ends_on,
        exclude_pk=subscription.pk,
    )
    before = subscription.ends_on
    subscription.ends_on = ends_on
    subscription.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        actor=actor,
        action="subscription.end",
        obj=subscription,
        changes={"ends_on": {"before": before, "after": ends_on}},
    )
    return subscription


@transaction.atomic
def service_use_record(
    *,
    subscription: Subscription,
    used_on: dt.date,
    quantity: Decimal | str = Decimal(1),
    note: str = "",
    recorded_by=None,
) -> ServiceUse:
    """Record ``quantity`` uses of a ``per_use`` service on ``used_on`` (a day on which
    the subscription is in force, in a month not billed yet). ``recorded_by`` (a User, or
    None) is the actor of the audit row. Raises ``ServiceUseInvalid``."""
    quantity = to_decimal(quantity, "quantity")
    if subscription.service.pricing_model != PricingModel.PER_USE:
        raise ServiceUseInvalid(
            _("Uses are recorded for per-use services only."),
            {"fields": {"subscription": [_("Not a per-use service.")]}},
        )
    if quantity <= 0:
        raise ServiceUseInvalid(
            _("The quantity must be positive."), {"fields": {"quantity": [_("Must be > 0.")]}}
        )
    if not selectors.subscription_in_force(subscription=subscription, on=used_on):
        raise ServiceUseInvalid(
            _("The subscription is not in force on %(date)s.") % {"date": used_on.isoformat()},
            {"fields": {"used_on": [_("Outside the subscription.")]}},
        )
    if selectors.charge_for_month(subscription=subscription, period=month_start(used_on)):
        raise ServiceUseInvalid(
            _("%(month)s is already billed.") % {"month": f"{used_on:%Y-%m}"},
            {"fields": {"used_on": [_("Month billed.")]}},
        )
    use = ServiceUse.objects.create(
        subscription=subscription,
        used_on=used_on,
        quantity=quantity,
        note=note,
        recorded_by=saved_user(recorded_by),
    )
    audit_record(
        actor=recorded_by,
        action="service_use.record",
        obj=use,
        changes=audit_snapshot(use, ["subscription", "used_on", "quantity", "note"]),
    )
    return use
