"""Recording salary simulations: what a budget (or a net, or a turnover) becomes under the
partner's pack, with the parameters it read, so that it can be reproduced later
(``selectors.salary_simulation_reproduce``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import ValidationFailed
from common.money import round_amount
from tenants.labour_law import selectors
from tenants.labour_law.checks import activity_budget, check_period, money_in
from tenants.labour_law.models import SalarySimulation, SimulationMode
from tenants.labour_law.recorded import simulation_result
from tenants.labour_law.snapshots import pack_snapshot
from tenants.members.models import Activity
from tenants.partner_settings.selectors import fee_rate as fee_rate_in_force


@transaction.atomic
def salary_simulation_create(
    *,
    actor,
    period_start: dt.date,
    period_end: dt.date,
    amount: Decimal | None = None,
    target_net: Decimal | None = None,
    turnover: Decimal | None = None,
    activity: Activity | None = None,
    contract_type: str | None = None,
) -> SalarySimulation:
    """Simulate and record what a budget becomes under the partner's pack.

    Exactly one of ``amount`` (employer budget after the fee), ``target_net`` (the reverse:
    the budget and turnover a net needs) or ``turnover`` (before the fee, at the partner's
    fee rate on ``period_start``) — or none of them with ``activity``, whose current
    balance is then the budget. Decimal amounts in the partner's currency. The fee rate
    (``partner_settings.selectors.fee_rate``) adds ``turnover`` and ``fee`` to the result
    when one is in force. The caller has checked that ``actor`` may use ``activity``.

    Raises ``ValidationFailed`` (inputs, period longer than 12 months, unknown contract
    type, gross above a contract's ceiling), ``RuleNotFound`` (no value in force: names
    the parameter and date), ``PackNotConfigured`` (generic pack incomplete: names the
    missing parameters), ``ContractExceedsBalance`` (negative activity balance),
    ``FeeRateNotFound`` (turnover given but no fee rate in force).
    """
    given = [
        n
        for n, v in (("amount", amount), ("target_net", target_net), ("turnover", turnover))
        if v is not None
    ]
    if len(given) > 1 or (not given and activity is None):
        raise ValidationFailed(
            _(
                "Give exactly one of amount, target_net or turnover (or an activity, whose "
                "balance is then the amount)."
            ),
            {"fields": {"amount": [_("Exactly one of amount, target_net, turnover.")]}},
        )
    check_period(period_start, period_end)
    pack = selectors.partner_pack()
    cur = pack.currency
    fee_rate = selectors.fee_rate_or_none(on=period_start)
    inputs: dict[str, Any] = {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "contract_type": contract_type or pack.module.DEFAULT_CONTRACT,
        "fee_rate": None if fee_rate is None else str(fee_rate),
        "activity": activity.pk if activity is not None else None,
    }
    if target_net is not None:
        inputs.update(
            mode=SimulationMode.TARGET_NET,
            target_net=str(money_in(target_net, cur, "target_net").amount),
        )
    elif turnover is not None:
        total = money_in(turnover, cur, "turnover")
        if fee_rate is None:
            fee_rate_in_force(on=period_start)  # raises FeeRateNotFound, naming the date
        fee = round_amount(total.amount * fee_rate, cur)
        inputs.update(
            mode=SimulationMode.TURNOVER,
            turnover=str(total.amount),
            fee=str(fee),
            amount=str(total.amount - fee),
        )
    elif amount is not None:
        inputs.update(
            mode=SimulationMode.AMOUNT, amount=str(money_in(amount, cur, "amount").amount)
        )
    else:
        inputs.update(
            mode=SimulationMode.ACTIVITY_BALANCE, amount=str(activity_budget(activity).amount)
        )
    inputs["mode"] = str(inputs["mode"])

    result = simulation_result(pack, inputs)
    return SalarySimulation.objects.create(
        mode=inputs["mode"],
        activity=activity,
        contract_type=result["contract_type"],
        period_start=period_start,
        period_end=period_end,
        as_of=dt.date.fromisoformat(result["as_of"]),
        currency=cur,
        gross=Decimal(result["gross"]),
        net=Decimal(result["net"]),
        employer_cost=Decimal(result["employer_cost"]),
        fee_rate=fee_rate,
        inputs=inputs,
        result=result,
        pack_code=pack.code,
        pack_version=pack.version,
        parameters=pack_snapshot(pack, [period_start]),
        created_by=actor,
    )
