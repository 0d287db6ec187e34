"""Recording income plans: monthly payouts that keep a member protected where the pack has
a monthly threshold (Germany), with the parameters each month read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import ValidationFailed
from common.money import minor_unit
from common.months import month_starts
from tenants.labour_law import selectors
from tenants.labour_law.checks import MAX_PLAN_MONTHS, activity_budget, check_date, money_in
from tenants.labour_law.models import IncomePlan
from tenants.labour_law.recorded import plan_result
from tenants.labour_law.snapshots import pack_snapshot
from tenants.members.models import Activity


@transaction.atomic
def income_plan_create(
    *,
    actor,
    start_month: dt.date,
    incomes: Sequence[Decimal],
    opening_balance: Decimal | None = None,
    hours: Sequence[Decimal | None] | None = None,
    activity: Activity | None = None,
    min_consecutive_months: int | None = None,
    leftover: str | None = None,
) -> IncomePlan:
    """Plan and record monthly payouts that keep the member protected (Germany's monthly
    threshold held over consecutive months), or record that the partner's pack has no
    monthly rule (``result["applicable"]`` false, with the pack's own statement).

    ``start_month``: any day of the first month. ``incomes``: Decimal per month (at most
    60), what reaches the activity after the fee. ``opening_balance``: Decimal; default the
    ``activity``'s balance when one is given, else 0. ``hours``: declared hours per month
    (None for none), paid at least at the minimum wage. ``min_consecutive_months``: run
    length, default the pack's parameter. Raises ``ValidationFailed`` (inputs; money that
    cannot pay the declared hours), ``RuleNotFound``, ``PackNotConfigured``.
    """
    check_date(start_month, "start_month")
    incomes = list(incomes)
    if not 1 <= len(incomes) <= MAX_PLAN_MONTHS:
        raise ValidationFailed(
            _("incomes must list 1 to %(max)s months (got %(count)s).")
            % {"max": MAX_PLAN_MONTHS, "count": len(incomes)},
            {"fields": {"incomes": [_("1 to %(max)s values.") % {"max": MAX_PLAN_MONTHS}]}},
        )
    if hours is not None and len(hours) != len(incomes):
        raise ValidationFailed(
            _("hours must list one value per month (%(months)s), got %(count)s.")
            % {"months": len(incomes), "count": len(hours)},
            {"fields": {"hours": [_("One value per month of incomes.")]}},
        )
    pack = selectors.partner_pack()
    cur = pack.currency
    values = [money_in(v, cur, f"incomes[{i}]").amount for i, v in enumerate(incomes)]
    if opening_balance is not None:
        opening = money_in(opening_balance, cur, "opening_balance").amount
    elif activity is not None:
        opening = activity_budget(activity).amount
    else:
        opening = Decimal(0).quantize(minor_unit(cur))
    first = start_month.replace(day=1)
    inputs = {
        "start_month": first.isoformat(),
        "incomes": [str(v) for v in values],
        "opening_balance": str(opening),
        "hours": None if hours is None else [None if h is None else str(h) for h in hours],
        "activity": activity.pk if activity is not None else None,
        "min_consecutive_months": min_consecutive_months,
        "leftover": leftover or "spread",
    }
    result = plan_result(pack, inputs)
    return IncomePlan.objects.create(
        activity=activity,
        start_month=first,
        months=len(values),
        currency=cur,
        applicable=result["applicable"],
        inputs=inputs,
        result=result,
        pack_code=pack.code,
        pack_version=pack.version,
        parameters=pack_snapshot(pack, month_starts(first, len(values))),
        created_by=actor,
    )
