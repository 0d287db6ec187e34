"""Writes of the local catalogue: services (partner ``admin``), subscriptions (staff, or
a member for their own activities), recorded uses, monthly billing through the ledger,
and the coverage aggregate pushed to the federation.

Tenant code: the partner is ``connection.tenant`` (the schema the request or task chose).

Billing rules (``subscription_charge_compute``), for month M and the days D of M on which
the subscription is in force AND the service is available (``available_until`` stops
billing even if the subscription was not ended):
- ``flat_monthly``: price × D / days in M (a whole month is exactly the price; a
  subscription starting on the 16th of a 30-day month pays 15/30 of it).
- ``flat_yearly``: price / 12 × D / days in M (spread over the months, same pro-rata).
- ``percentage``: percentage / 100 × turnover collected by the activity on days D (ledger
  entries of kind ``turnover_collected``, and corrections of them, booked on those days);
  a negative total charges nothing.
- ``per_use``: price × the quantities of uses recorded on days D.
- ``free``: nothing.
Amounts are rounded once, half-up, to the currency's minor unit. Each month is billed once
per subscription (``ServiceCharge`` unique per month, and the ledger's idempotency key
``catalog-subscription:<id>:<YYYY-MM>``), as a debit of kind ``service_charge`` booked on
the month's last day. A month is billed only once it is over. Prices are read when billing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.money import Money, currency_digits, round_amount, to_decimal
from services_catalog.local.exceptions import (
    ServiceCurrencyRefused,
    ServiceExists,
    ServiceInvalid,
    ServiceUseInvalid,
    SubscriptionInvalid,
    SubscriptionOverlap,
)
from services_catalog.local.models import (
    CODE_PATTERN,
    PRICED_MODELS,
    PricingModel,
    Service,
    ServiceCharge,
    ServiceUse,
    Subscription,
)
from services_catalog.local.selectors import available_on, in_force_on
from services_catalog.translated import (
    LANGUAGES,
    reading_order,
    save_in_language,
    translated_text,
    translation_values,
)

logger = logging.getLogger(__name__)

LEDGER_KIND = "service_charge"
TURNOVER_KIND = "turnover_collected"


def _partner():
    partner = getattr(connection, "tenant", None)
    if partner is None or not getattr(partner, "currency", None):
        raise RuntimeError("Local catalogue code runs inside a partner's schema only.")
    return partner


def required_language(partner) -> str:
    """The language every local service must have a name in: the partner's default
    language when the platform has it, else English."""
    return partner.language if partner.language in LANGUAGES else "en"


# --- Services -----------------------------------------------------------------------


def _check_service(service: Service) -> None:
    partner = _partner()
    errors: dict[str, list[str]] = {}
    if not re.match(CODE_PATTERN, service.code or ""):
        errors["code"] = [_("Lowercase letters, digits and underscores (e.g. grant_help_se).")]
    if service.reference_code:
        from services_catalog.reference.selectors import reference_codes

        if service.reference_code not in reference_codes():
            errors["reference_code"] = [
                _("%(code)s is not a reference service code.")
                % {"code": repr(service.reference_code)}
            ]
    language = required_language(partner)
    if not (getattr(service, f"name_{language}") or "").strip():
        errors["name"] = [
            _("A name in %(language)s (the partner's language) is required.")
            % {"language": language}
        ]
    if service.pricing_model not in PricingModel.values:
        errors["pricing_model"] = [
            _("One of %(values)s.") % {"values": ", ".join(PricingModel.values)}
        ]
    if service.pricing_model == PricingModel.PERCENTAGE:
        if service.percentage is None:
            errors["percentage"] = [_("Required for a percentage of turnover (0 to 100).")]
        elif not (Decimal(0) <= service.percentage <= Decimal(100)):
            errors["percentage"] = [
                _("A percentage of turnover is between 0 and 100 (1.5 means 1.5 %).")
            ]
        if service.price_amount is not None:
            errors["price_amount"] = [_("Not used with a percentage of turnover.")]
    elif service.pricing_model in PRICED_MODELS:
        if service.price_amount is None:
            errors["price_amount"] = [_("Required for this pricing model.")]
        elif service.price_amount < 0:
            errors["price_amount"] = [_("A price cannot be negative.")]
        elif service.price_amount != round_amount(service.price_amount, partner.currency):
            errors["price_amount"] = [
                _("At most %(digits)s decimals in %(currency)s.")
                % {"digits": currency_digits(partner.currency), "currency": partner.currency}
            ]
        if service.percentage is not None:
            errors["percentage"] = [_("Only a percentage-of-turnover service has one.")]
    elif service.pricing_model == PricingModel.FREE:
        if service.price_amount not in (None, Decimal(0)):
            errors["price_amount"] = [_("A free service has no price.")]
        if service.percentage is not None:
            errors["percentage"] = [_("A free service has no percentage.")]
    if service.available_from is None:
        errors["available_from"] = [_("This field is required.")]
    elif service.available_until and service.available_until < service.available_from:
        errors["available_until"] = [_("Must be on or after available_from.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceInvalid(first, {"fields": errors})


def _apply_service_fields(service: Service, fields: dict[str, Any]) -> None:
    partner = _partner()
    fields = dict(fields)
    texts = {
        **translation_values("name", fields.pop("name", None)),
        **translation_values("description", fields.pop("description", None)),
    }
    currency = fields.pop("currency", None)
    if currency is not None and currency.strip().upper() != partner.currency:
        raise ServiceCurrencyRefused(
            _("Prices of %(partner)s are in %(currency)s, not %(given)s.")
            % {"partner": partner.name, "currency": partner.currency, "given": currency},
            {"fields": {"currency": [_("Must be %(currency)s.") % {"currency": partner.currency}]}},
        )
    for name in ("price_amount", "percentage"):
        if fields.get(name) is not None:
            fields[name] = to_decimal(fields[name], name)
    for attr, value in {**fields, **texts}.items():
        setattr(service, attr, value)
    # Values that do not belong to the pricing model are dropped rather than kept stale.
    if "pricing_model" in fields:
        if service.pricing_model == PricingModel.PERCENTAGE and "price_amount" not in fields:
            service.price_amount = None
        if service.pricing_model in PRICED_MODELS and "percentage" not in fields:
            service.percentage = None
        if service.pricing_model == PricingModel.FREE:
            if "price_amount" not in fields or service.price_amount == 0:
                service.price_amount = None
            if "percentage" not in fields:
                service.percentage = None
    service.currency = partner.currency if service.price_amount is not None else ""


@transaction.atomic
def service_create(
    *,
    code: str,
    name: dict[str, str],
    pricing_model: str,
    available_from: dt.date,
    description: dict[str, str] | None = None,
    reference_code: str = "",
    price_amount: Decimal | str | None = None,
    currency: str | None = None,
    percentage: Decimal | str | None = None,
    available_until: dt.date | None = None,
) -> Service:
    """Add a service to this partner's catalogue.

    ``name``/``description``: ``{language: text}``; a name in the partner's language is
    required. ``price_amount`` (>= 0) is in the partner's currency (``currency``, when
    given, must be it); ``percentage`` is a percent of turnover (0–100). Raises
    ``ServiceInvalid``, ``ServiceCurrencyRefused`` or ``ServiceExists``.
    """
    if Service.objects.filter(code=code).exists():
        raise ServiceExists(
            extra={"fields": {"code": [_("%(code)s is already used.") % {"code": code}]}}
        )
    service = Service(code=(code or "").strip(), reference_code=(reference_code or "").strip())
    _apply_service_fields(
        service,
        {
            "name": name,
            "description": description,
            "pricing_model": pricing_model,
            "price_amount": price_amount,
            "percentage": percentage,
            "currency": currency,
            "available_from": available_from,
            "available_until": available_until,
        },
    )
    _check_service(service)
    save_in_language(service, required_language(_partner()))
    return service


@transaction.atomic
def service_update(*, service: Service, **changes: Any) -> Service:
    """Change a service (any field of ``service_create`` but ``code``); translated fields
    are merged by language. Same checks as creation."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    if "code" in changes and changes["code"] != service.code:
        raise ServiceInvalid(
            _("A service's code never changes."), {"fields": {"code": [_("Read-only.")]}}
        )
    changes.pop("code", None)
    if "reference_code" in changes:
        changes["reference_code"] = (changes["reference_code"] or "").strip()
    _apply_service_fields(service, changes)
    _check_service(service)
    save_in_language(service, required_language(_partner()))
    return service


# --- Subscriptions ------------------------------------------------------------------


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
    activity,
    service: Service,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    created_by=None,
) -> Subscription:
    """Subscribe the member who runs ``activity`` to ``service`` from ``starts_on`` to
    ``ends_on`` (inclusive, None: open-ended); charges go to ``activity``.

    The service must be available on ``starts_on``. Raises ``SubscriptionInvalid``
    (ending before starting, service not available, closed activity) or
    ``SubscriptionOverlap`` (the member already subscribes to it on one of these days).
    """
    from tenants.members.models import Member

    _check_dates(starts_on, ends_on)
    if getattr(activity, "status", "active") == "closed":
        raise SubscriptionInvalid(
            _("This activity is closed."), {"fields": {"activity": [_("Closed activity.")]}}
        )
    if not Service.objects.filter(pk=service.pk).filter(available_on(starts_on)).exists():
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
    return Subscription.objects.create(
        member_id=activity.member_id,
        activity=activity,
        service=service,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )


def _check_dates(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise SubscriptionInvalid(
            _("A subscription cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": ends_on.isoformat(), "start": starts_on.isoformat()},
            {"fields": {"ends_on": [_("Must be on or after starts_on.")]}},
        )


@transaction.atomic
def subscription_end(*, subscription: Subscription, ends_on: dt.date) -> Subscription:
    """End ``subscription`` on ``ends_on`` (its last day, inclusive). Refused before it
    starts, before the end of a month already billed, or when the new period would overlap
    another subscription of the member to the same service."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    _check_dates(subscription.starts_on, ends_on)
    last_billed = (
        ServiceCharge.objects.filter(subscription=subscription).order_by("-period").first()
    )
    if last_billed is not None:
        month_end = _month_last_day(last_billed.period)
        if ends_on < month_end:
            raise SubscriptionInvalid(
                _("%(month)s is already billed; end on %(date)s or later.")
                % {"month": f"{last_billed.period:%Y-%m}", "date": month_end.isoformat()},
                {"fields": {"ends_on": [_("Before the end of a billed month.")]}},
            )
    _check_overlap(
        member_id=subscription.member_id,
        service=subscription.service,
        starts_on=subscription.starts_on,
        ends_on=ends_on,
        exclude_pk=subscription.pk,
    )
    subscription.ends_on = ends_on
    subscription.save(update_fields=["ends_on", "updated_at"])
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
    the subscription is in force, in a month not billed yet)."""
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
    if not Subscription.objects.filter(pk=subscription.pk).filter(in_force_on(used_on)).exists():
        raise ServiceUseInvalid(
            _("The subscription is not in force on %(date)s.") % {"date": used_on.isoformat()},
            {"fields": {"used_on": [_("Outside the subscription.")]}},
        )
    if ServiceCharge.objects.filter(
        subscription=subscription, period=used_on.replace(day=1)
    ).exists():
        raise ServiceUseInvalid(
            _("%(month)s is already billed.") % {"month": f"{used_on:%Y-%m}"},
            {"fields": {"used_on": [_("Month billed.")]}},
        )
    return ServiceUse.objects.create(
        subscription=subscription,
        used_on=used_on,
        quantity=quantity,
        note=note,
        recorded_by=recorded_by if getattr(recorded_by, "pk", None) else None,
    )


# --- Billing ------------------------------------------------------------------------


def _month_last_day(period: dt.date) -> dt.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def billed_days(subscription: Subscription, period: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last day of month ``period`` on which ``subscription`` is billed (in
    force and the service available), or None."""
    first, last = period, _month_last_day(period)
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
    from tenants.members.models import LedgerEntry

    total = LedgerEntry.objects.filter(
        Q(kind=TURNOVER_KIND) | Q(kind="correction", corrects__kind=TURNOVER_KIND),
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
    (decimal strings). See the module docstring for the rules."""
    currency = _partner().currency
    period = month_start(period)
    service = subscription.service
    days = billed_days(subscription, period)
    model = service.pricing_model
    rule: dict[str, Any] = {"rule": model, "service": service.code, "month": f"{period:%Y-%m}"}
    if days is None or model == PricingModel.FREE:
        return Money.zero(currency), {**rule, "days": 0 if days is None else None}
    start, end = days
    active = (end - start).days + 1
    in_month = calendar.monthrange(period.year, period.month)[1]
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


def _check_month_over(period: dt.date, today: dt.date | None) -> None:
    if _month_last_day(period) >= (today or timezone.localdate()):
        raise SubscriptionInvalid(
            _("%(month)s is not over yet; a month is billed once it has ended.")
            % {"month": f"{period:%Y-%m}"},
            {"fields": {"period": [_("Month not over.")]}},
        )


def idempotency_key(subscription_id: int, period: dt.date) -> str:
    return f"catalog-subscription:{subscription_id}:{period:%Y-%m}"


@transaction.atomic
def subscription_bill_month(
    *, subscription: Subscription, period: dt.date, today: dt.date | None = None
) -> tuple[ServiceCharge, bool]:
    """Bill ``subscription`` for month ``period`` (any day of it) once: returns
    ``(charge, created)``; a month already billed returns its charge with ``created``
    False and posts nothing. A non-zero amount is posted to the subscription's activity as
    a debit of kind ``service_charge`` booked on the month's last day.

    Raises ``SubscriptionInvalid`` for a month that is not over yet.
    """
    from tenants.members.services import ledger_post

    period = month_start(period)
    last = _month_last_day(period)
    _check_month_over(period, today)
    # The lock serialises two runs billing the same subscription; the second one then
    # finds the first one's charge.
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("service", "activity")
        .get(pk=subscription.pk)
    )
    existing = ServiceCharge.objects.filter(subscription=subscription, period=period).first()
    if existing is not None:
        return existing, False
    amount, rule = subscription_charge_compute(subscription=subscription, period=period)
    entry = None
    if amount.amount > 0:
        partner = _partner()
        name, _lang = translated_text(
            subscription.service, "name", reading_order(partner=partner, language=partner.language)
        )
        entry = ledger_post(
            activity=subscription.activity,
            kind=LEDGER_KIND,
            amount=-amount,
            booked_on=last,
            description=f"{name or subscription.service.code} {period:%Y-%m}",
            rule=rule,
            source=subscription,
            idempotency_key=idempotency_key(subscription.pk, period),
        )
    charge = ServiceCharge.objects.create(
        subscription=subscription,
        period=period,
        amount=amount.amount,
        currency=amount.currency,
        rule=rule,
        ledger_entry=entry,
    )
    return charge, True


@dataclass
class BillingRun:
    """What one run of ``charges_bill_month`` did (counts only)."""

    period: str
    billed: int = 0
    nothing_due: int = 0
    already_billed: int = 0
    failed: list[int] = field(default_factory=list)


def charges_bill_month(*, period: dt.date, today: dt.date | None = None) -> BillingRun:
    """Bill every subscription in force during month ``period`` (any day of it). Safe to
    run any number of times: months already billed are skipped. One subscription's
    failure is logged and does not stop the others (its id is in ``failed``)."""
    from services_catalog.local.selectors import subscriptions_overlapping_month

    period = month_start(period)
    _check_month_over(period, today)
    run = BillingRun(period=f"{period:%Y-%m}")
    for subscription in subscriptions_overlapping_month(first=period, last=_month_last_day(period)):
        try:
            charge, created = subscription_bill_month(
                subscription=subscription, period=period, today=today
            )
        except Exception:
            # Logged with its traceback; the other subscriptions are still billed and the
            # next run retries this one.
            logger.exception("Billing subscription %s for %s failed", subscription.pk, period)
            run.failed.append(subscription.pk)
            continue
        if not created:
            run.already_billed += 1
        elif charge.amount > 0:
            run.billed += 1
        else:
            run.nothing_due += 1
    return run


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
    from services_catalog.reference.selectors import core_codes
    from tenants.partners.selectors import partner_tier_on

    partner = _partner()
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


def coverage_push(*, as_of: dt.date):
    """Compute this partner's coverage on ``as_of`` and write it to the federation's
    rollup table (``CoverageSnapshot``, public schema). Idempotent (one row per day)."""
    from services_catalog.reference.services import coverage_snapshot_store

    aggregate = coverage_compute(as_of=as_of)
    return coverage_snapshot_store(partner=_partner(), as_of=as_of, **aggregate)
