"""Monthly billing of subscriptions through the activity's ledger.

Billing rules (``selectors.subscription_charge_compute``), for month M and the days D of
M on which the subscription is in force AND the service is available (``available_until``
stops billing even if the subscription was not ended):
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
Each charge records an audit row (``subscription.bill``; the debit has its own
``ledger.post``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.months import month_end, month_start
from common.tenancy import current_partner
from services_catalog.local import selectors
from services_catalog.local.exceptions import SubscriptionInvalid
from services_catalog.local.models import ServiceCharge, Subscription
from services_catalog.translated import reading_order, translated_text
from tenants.audit.services import audit_record
from tenants.members.services import ledger_post

logger = logging.getLogger(__name__)

LEDGER_KIND = "service_charge"


def _check_month_over(period: dt.date, today: dt.date | None) -> None:
    if month_end(period) >= (today or timezone.localdate()):
        raise SubscriptionInvalid(
            _("%(month)s is not over yet; a month is billed once it has ended.")
            % {"month": f"{period:%Y-%m}"},
            {"fields": {"period": [_("Month not over.")]}},
        )


def idempotency_key(subscription_id: int, period: dt.date) -> str:
    """The ledger's idempotency key of one subscription's charge for one month."""
    return f"catalog-subscription:{subscription_id}:{period:%Y-%m}"


@transaction.atomic
def subscription_bill_month(
    *,
    subscription: Subscription,
    period: dt.date,
    today: dt.date | None = None,
    actor=None,
) -> tuple[ServiceCharge, bool]:
    """Bill ``subscription`` for month ``period`` (any day of it) once: returns
    ``(charge, created)``; a month already billed returns its charge with ``created``
    False and posts nothing. A non-zero amount is posted to the subscription's activity as
    a debit of kind ``service_charge`` booked on the month's last day. ``actor``: the User
    who asked, or None for the monthly task.

    Raises ``SubscriptionInvalid`` for a month that is not over yet.
    """
    period = month_start(period)
    last = month_end(period)
    _check_month_over(period, today)
    # The lock serialises two runs billing the same subscription; the second one then
    # finds the first one's charge.
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("service", "activity")
        .get(pk=subscription.pk)
    )
    existing = selectors.charge_for_month(subscription=subscription, period=period)
    if existing is not None:
        return existing, False
    amount, rule = selectors.subscription_charge_compute(subscription=subscription, period=period)
    entry = None
    if amount.amount > 0:
        partner = current_partner()
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
            created_by=actor,
        )
    charge = ServiceCharge.objects.create(
        subscription=subscription,
        period=period,
        amount=amount.amount,
        currency=amount.currency,
        rule=rule,
        ledger_entry=entry,
    )
    audit_record(
        actor=actor,
        action="subscription.bill",
        obj=charge,
        changes={
            "subscription": subscription.pk,
            "period": period,
            "amount": amount,
            "ledger_entry": entry.pk if entry is not None else None,
        },
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


def charges_bill_month(*, period: dt.date, today: dt.date | None = None, actor=None) -> BillingRun:
    """Bill every subscription in force during month ``period`` (any day of it). Safe to
    run any number of times: months already billed are skipped. One subscription's
    failure is logged and does not stop the others (its id is in ``failed``). Each charge
    made records its own audit row (``actor``: None for the monthly task)."""
    period = month_start(period)
    _check_month_over(period, today)
    run = BillingRun(period=f"{period:%Y-%m}")
    for subscription in selectors.subscriptions_overlapping_month(
        first=period, last=month_end(period)
    ):
        try:
            charge, created = subscription_bill_month(
                subscription=subscription, period=period, today=today, actor=actor
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
