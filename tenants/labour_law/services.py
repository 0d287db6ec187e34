"""Writing the labour-law layer: recorded salary simulations and income plans, contracts
debited through the activity's ledger, and the generic pack's partner parameters.

Every computation reads its parameters as of the date of the fact (the pay period's
start, each planned month's first day, the contract's start), never today, and records
the snapshot of the parameter periods it read (``snapshots.pack_snapshot``) with the pack's
version, so ``*_reproduce`` can re-run it later and show it gives the same figures.

Amounts are ``Decimal`` in the partner's currency (the pack's); rates are fractions.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import EssaimError, ValidationFailed
from common.money import Money, currency_digits, minor_unit, round_amount
from tenants.audit.services import audit_record
from tenants.labour_law import selectors
from tenants.labour_law.engine import Simulation, simulate, simulate_for_net
from tenants.labour_law.exceptions import (
    ContractExceedsBalance,
    ContractNotAllowed,
    PartnerParameterInvalid,
    ProposalChanged,
)
from tenants.labour_law.labels import translate_label, translate_reason
from tenants.labour_law.models import (
    Contract,
    IncomePlan,
    PartnerParameter,
    SalarySimulation,
    SimulationMode,
)
from tenants.labour_law.packs import Pack
from tenants.labour_law.packs.base import MONTHLY_THRESHOLD
from tenants.labour_law.packs.loader import _parse_entry, allowed_units, declared_parameters
from tenants.labour_law.planner import plan_protection, protection_rule
from tenants.labour_law.snapshots import pack_from_snapshot, pack_snapshot, snapshot_differences

# Limits on what one request may ask (larger requests are refused with a clear message).
MAX_PERIOD_MONTHS = 12
MAX_PLAN_MONTHS = 60
MAX_AMOUNT = Decimal("1000000000")  # one billion in the partner's currency
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


# --------------------------------------------------------------------------- checks


def _check_date(value: dt.date, field: str) -> None:
    if not (EARLIEST <= value <= LATEST):
        raise ValidationFailed(
            _("%(field)s must lie between %(earliest)s and %(latest)s.")
            % {"field": field, "earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            {"fields": {field: [_("Out of the supported range.")]}},
        )


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def check_period(period_start: dt.date, period_end: dt.date) -> None:
    """A pay period: both dates in range, end not before start, at most 12 months."""
    _check_date(period_start, "period_start")
    _check_date(period_end, "period_end")
    if period_end < period_start:
        raise ValidationFailed(
            _("period_end %(end)s is before period_start %(start)s.")
            % {"end": period_end.isoformat(), "start": period_start.isoformat()},
            {"fields": {"period_end": [_("Must not be before period_start.")]}},
        )
    limit = _add_months(period_start, MAX_PERIOD_MONTHS) - dt.timedelta(days=1)
    if period_end > limit:
        raise ValidationFailed(
            _(
                "A period lasts at most %(months)s months: from %(start)s it must end by "
                "%(limit)s; split it."
            )
            % {
                "months": MAX_PERIOD_MONTHS,
                "start": period_start.isoformat(),
                "limit": limit.isoformat(),
            },
            {
                "fields": {
                    "period_end": [
                        _("At most %(months)s months after the start.")
                        % {"months": MAX_PERIOD_MONTHS}
                    ]
                }
            },
        )


def money_in(value: Decimal, currency: str, field: str, *, allow_zero: bool = True) -> Money:
    """``value`` as Money in ``currency``: not negative, at most ``MAX_AMOUNT``, and with no
    more decimals than the currency has (2 for EUR and SEK, 0 for KRW)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationFailed(
            _("%(field)s must be a decimal number.") % {"field": field},
            {"fields": {field: [_("A decimal number.")]}},
        )
    if value < 0 or (value == 0 and not allow_zero):
        if value < 0:
            message = _("%(field)s must not be negative (got %(value)s).")
            detail = _("Must not be negative.")
        else:
            message = _("%(field)s must not be zero (got %(value)s).")
            detail = _("Must not be zero.")
        raise ValidationFailed(
            message % {"field": field, "value": value}, {"fields": {field: [detail]}}
        )
    if value > MAX_AMOUNT:
        raise ValidationFailed(
            _("%(field)s must not exceed %(limit)s %(currency)s.")
            % {"field": field, "limit": MAX_AMOUNT, "currency": currency},
            {"fields": {field: [_("At most %(limit)s.") % {"limit": MAX_AMOUNT}]}},
        )
    if value != round_amount(value, currency):
        digits = currency_digits(currency)
        raise ValidationFailed(
            _("%(field)s has more decimals than %(currency)s allows (%(digits)s).")
            % {"field": field, "currency": currency, "digits": digits},
            {
                "fields": {
                    field: [
                        _("At most %(digits)s decimals in %(currency)s.")
                        % {"digits": digits, "currency": currency}
                    ]
                }
            },
        )
    return Money(value.quantize(minor_unit(currency)), currency)


def _activity_budget(activity) -> Money:
    """The activity's balance (Money, partner currency) as an employer budget; a negative
    balance is refused (it must be covered first)."""
    from tenants.members.selectors import activity_balance

    balance = activity_balance(activity=activity)
    if balance.amount < 0:
        raise ContractExceedsBalance(
            _("The activity's balance is negative (%(balance)s); nothing can be paid from it.")
            % {"balance": balance},
            {"activity": activity.pk, "balance": str(balance.amount)},
        )
    return balance


def _fee_rate(on: dt.date) -> Decimal | None:
    from tenants.partner_settings.exceptions import FeeRateNotFound
    from tenants.partner_settings.selectors import fee_rate

    try:
        return fee_rate(on=on)
    except FeeRateNotFound:
        return None


# --------------------------------------------------------------------------- simulations


def _run_simulation(pack: Pack, inputs: dict[str, Any]) -> dict[str, Any]:
    """Run the engine on recorded ``inputs`` (decimal strings, ISO dates) → result dict."""
    cur = pack.currency
    fee_rate = Decimal(inputs["fee_rate"]) if inputs.get("fee_rate") is not None else None
    common = {
        "period_start": dt.date.fromisoformat(inputs["period_start"]),
        "period_end": dt.date.fromisoformat(inputs["period_end"]),
        "contract_type": inputs.get("contract_type"),
        "fee_rate": fee_rate,
    }
    sim: Simulation
    if inputs["mode"] == SimulationMode.TARGET_NET:
        sim = simulate_for_net(pack, target_net=Money(Decimal(inputs["target_net"]), cur), **common)
    else:
        sim = simulate(pack, amount=Money(Decimal(inputs["amount"]), cur), **common)
    result = sim.to_dict()
    if inputs["mode"] == SimulationMode.TURNOVER:
        # The member gave the turnover: show it and its fee, not the smallest turnover that
        # would fund the same budget (they can differ by a minor unit).
        result["turnover"] = inputs["turnover"]
        result["fee"] = inputs["fee"]
    return result


@transaction.atomic
def salary_simulation_create(
    *,
    actor,
    period_start: dt.date,
    period_end: dt.date,
    amount: Decimal | None = None,
    target_net: Decimal | None = None,
    turnover: Decimal | None = None,
    activity=None,
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
    fee_rate = _fee_rate(period_start)
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
            from tenants.partner_settings.selectors import fee_rate as read_fee_rate

            read_fee_rate(on=period_start)  # raises FeeRateNotFound, naming the date
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
            mode=SimulationMode.ACTIVITY_BALANCE, amount=str(_activity_budget(activity).amount)
        )
    inputs["mode"] = str(inputs["mode"])

    result = _run_simulation(pack, inputs)
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


def _reproduction(
    recorded_result: dict[str, Any],
    snapshot: dict[str, Any],
    dates: Sequence[dt.date],
    run,
) -> dict[str, Any]:
    """Re-run ``run(pack) -> result`` on the recorded snapshot, and on the current pack, and
    say whether they match the recorded result and why the current one may differ."""
    reproduced = run(pack_from_snapshot(snapshot))
    out: dict[str, Any] = {
        "matches": reproduced == recorded_result,
        "recorded_pack_version": snapshot.get("version"),
        "reproduced": reproduced,
        "current_pack_version": None,
        "pack_changed": None,
        "changes": [],
        "current": None,
        "current_error": None,
    }
    try:
        current_pack = selectors.partner_pack()
    except EssaimError as exc:
        out["current_error"] = {"message": str(exc.message), "code": exc.code, "extra": exc.extra}
        return out
    out["current_pack_version"] = current_pack.version
    current_snapshot = pack_snapshot(current_pack, dates)
    changes = snapshot_differences(snapshot, current_snapshot)
    out["pack_changed"] = current_pack.version != snapshot.get("version")
    out["changes"] = changes
    if out["pack_changed"]:
        try:
            out["current"] = run(current_pack)
        except EssaimError as exc:
            out["current_error"] = {
                "message": str(exc.message),
                "code": exc.code,
                "extra": exc.extra,
            }
    return out


def salary_simulation_reproduce(*, simulation: SalarySimulation) -> dict[str, Any]:
    """Re-compute ``simulation`` from its recorded inputs and parameter snapshot.

    Returns ``{"matches": bool, "recorded_pack_version", "reproduced": result dict,
    "current_pack_version", "pack_changed": bool, "changes": [{"name", "recorded",
    "current"}], "current": result under today's pack data or None, "current_error"}``:
    ``matches`` is the guarantee (same figures from the same parameters); ``pack_changed``
    and ``changes`` say whether, and which, parameters in force on ``as_of`` have been
    edited in the pack since. Writes nothing.
    """
    return _reproduction(
        simulation.result,
        simulation.parameters,
        [simulation.period_start],
        lambda pack: _run_simulation(pack, simulation.inputs),
    )


# --------------------------------------------------------------------------- income plans


def _month_starts(start: dt.date, count: int) -> list[dt.date]:
    return [_add_months(start.replace(day=1), i) for i in range(count)]


def _run_plan(pack: Pack, inputs: dict[str, Any]) -> dict[str, Any]:
    """Plan on recorded ``inputs`` → result dict (plan, per-month detail, rule and its
    sourced parameters), or the explicit statement that no monthly rule applies."""
    start = dt.date.fromisoformat(inputs["start_month"])
    cur = pack.currency
    incomes = [Decimal(v) for v in inputs["incomes"]]
    months = [f"{d.year:04d}-{d.month:02d}" for d in _month_starts(start, len(incomes))]
    rule = protection_rule(pack, start)
    result: dict[str, Any] = {
        "currency": cur,
        "months": months,
        "protection_rule": rule.to_dict(),
        "pack_version": pack.version,
        "as_of": start.isoformat(),
    }
    if rule.kind != MONTHLY_THRESHOLD:
        result.update(
            applicable=False,
            message=f"The {pack.code} pack has no monthly protection rule: {rule.description}",
            payouts=[],
            gross=[],
            protected_months=[],
            threshold=None,
            min_consecutive_months=None,
            detail=[],
        )
        return result
    plan = plan_protection(
        pack,
        start=start,
        incomes=[Money(v, cur) for v in incomes],
        opening_balance=Money(Decimal(inputs["opening_balance"]), cur),
        hours=inputs.get("hours"),
        min_consecutive_months=inputs.get("min_consecutive_months"),
        leftover=inputs.get("leftover") or "spread",
    )
    data = plan.to_dict()
    # Show every amount with the currency's digits ("0.00", not "0").
    q = minor_unit(cur)
    data["payouts"] = [str(p.amount.quantize(q)) for p in plan.payouts]
    data["gross"] = [str(g.amount.quantize(q)) for g in plan.gross]
    rule_def = pack.module.PROTECTION
    counted = set(plan.protected_months)
    detail, available = [], Decimal(inputs["opening_balance"])
    for i, month in enumerate(months):
        available += incomes[i] - plan.payouts[i].amount
        detail.append(
            {
                "month": month,
                "income": str(incomes[i]),
                "payout": data["payouts"][i],
                "gross": data["gross"][i],
                "threshold": str(plan.thresholds[i].amount),
                "at_threshold": plan.gross[i] >= plan.thresholds[i],
                "counted": month in counted,
                "balance_after": str(available.quantize(q)),
            }
        )
    first = _month_starts(start, 1)[0]
    result.update(
        data,
        applicable=True,
        message=None,
        detail=detail,
        threshold_parameter=pack.period(rule_def.threshold, first).to_dict(),
        min_consecutive_months_parameter=pack.period(rule_def.min_run, first).to_dict(),
    )
    return result


@transaction.atomic
def income_plan_create(
    *,
    actor,
    start_month: dt.date,
    incomes: Sequence[Decimal],
    opening_balance: Decimal | None = None,
    hours: Sequence[Decimal | None] | None = None,
    activity=None,
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
    _check_date(start_month, "start_month")
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
        opening = _activity_budget(activity).amount
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
    result = _run_plan(pack, inputs)
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
        parameters=pack_snapshot(pack, _month_starts(first, len(values))),
        created_by=actor,
    )


def income_plan_reproduce(*, plan: IncomePlan) -> dict[str, Any]:
    """As ``salary_simulation_reproduce``, for a recorded income plan."""
    return _reproduction(
        plan.result,
        plan.parameters,
        _month_starts(plan.start_month, plan.months),
        lambda pack: _run_plan(pack, plan.inputs),
    )


# --------------------------------------------------------------------------- contracts


def contract_proposals_for(
    *,
    activity,
    start: dt.date,
    end: dt.date | None = None,
    hours_wanted: Decimal | None = None,
    amount: Decimal | None = None,
    pack: Pack | None = None,
):
    """Contract proposals (``contracts.ContractProposal``, one per contract type of the
    partner's country) for ``activity`` from ``start``, paid from ``amount`` (Decimal,
    at most the balance) or the whole balance. Reads only.

    Returns ``(pack, balance, budget, proposals)`` (balance and budget as Money). Raises
    ``ContractExceedsBalance`` (amount above the balance, zero or negative balance),
    ``ValidationFailed`` (dates, hours), ``RuleNotFound``, ``PackNotConfigured``.
    """
    _check_date(start, "start")
    if end is not None:
        _check_date(end, "end")
    pack = pack or selectors.partner_pack()
    balance = _activity_budget(activity)
    budget = balance
    if amount is not None:
        requested = money_in(amount, pack.currency, "amount", allow_zero=False)
        if requested > balance:
            raise ContractExceedsBalance(
                _(
                    "This contract would use %(amount)s but the activity's balance is "
                    "%(balance)s; nothing was changed."
                )
                % {"amount": requested, "balance": balance},
                {"balance": str(balance.amount), "amount": str(requested.amount)},
            )
        budget = requested
    if budget.amount <= 0:
        raise ContractExceedsBalance(
            _("The activity's balance is %(balance)s: it cannot pay a contract.")
            % {"balance": balance},
            {"balance": str(balance.amount)},
        )
    proposals = selectors.contract_proposals(
        pack=pack, balance=budget, start=start, end=end, hours_wanted=hours_wanted
    )
    return pack, balance, budget, proposals


@transaction.atomic
def contract_create(
    *,
    actor,
    activity,
    contract_type: str,
    start: dt.date,
    end: dt.date | None = None,
    hours: Decimal | None = None,
    amount: Decimal | None = None,
    pack_version: str | None = None,
) -> Contract:
    """Accept a contract proposal: re-compute it on the server from the activity's balance
    (never from client figures), create the ``Contract`` and debit its employer cost from
    the activity through the ledger (one entry, idempotency key ``contract:<id>``).

    ``amount``: the employer budget to use (Decimal, partner currency), at most the
    balance; default the whole balance. ``pack_version``: the version the client's proposal
    showed; when given and different, the proposal is refused as changed. The activity row
    is locked for the transaction, so two acceptances cannot spend the same balance.

    Raises ``ContractExceedsBalance`` (409: amount above the balance, or no balance),
    ``ContractNotAllowed`` (the proposal is not feasible: ``extra["reasons"]``),
    ``ProposalChanged``, ``ValidationFailed`` (unknown contract type, dates), ``RuleNotFound``,
    ``PackNotConfigured``. Nothing is written when any is raised.
    """
    from tenants.members.models import Activity, ActivityStatus
    from tenants.members.services import ledger_post

    _check_date(start, "start")
    if end is not None:
        _check_date(end, "end")
    pack = selectors.partner_pack()
    cur = pack.currency
    if pack_version is not None and pack_version != pack.version:
        raise ProposalChanged(
            _(
                "The proposal was computed with pack version %(recorded)s; the rules in force "
                "are now %(current)s. Ask for a new proposal."
            )
            % {"recorded": pack_version, "current": pack.version},
            {"pack_version": pack.version},
        )
    known = {ct.code: ct for ct in pack.module.CONTRACT_TYPES}
    if contract_type not in known:
        raise ValidationFailed(
            _("Unknown contract type %(contract_type)s; allowed here: %(known)s.")
            % {"contract_type": repr(contract_type), "known": ", ".join(known)},
            {"fields": {"contract_type": [_("One of: %(known)s.") % {"known": ", ".join(known)}]}},
        )
    if not known[contract_type].salaried:
        raise ContractNotAllowed(
            _("%(contract)s pays no salary: nothing to debit.")
            % {"contract": translate_label(known[contract_type].label)},
            {
                "reasons": [
                    _("%(contract)s pays no salary.")
                    % {"contract": translate_label(known[contract_type].label)}
                ]
            },
        )
    # Lock the activity so concurrent acceptances see each other's debits.
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status != ActivityStatus.ACTIVE:
        raise ContractNotAllowed(
            _("The activity is %(status)s; contracts are made on active activities only.")
            % {"status": locked.get_status_display()},
            {"reasons": [_("The activity is not active.")]},
        )
    pack, balance, budget, proposals = contract_proposals_for(
        activity=locked, start=start, end=end, hours_wanted=hours, amount=amount, pack=pack
    )
    proposal = next(p for p in proposals if p.contract_type == contract_type)
    if not proposal.feasible:
        reasons = [translate_reason(r) for r in proposal.reasons]
        raise ContractNotAllowed(" ".join(reasons), {"reasons": reasons})
    sim = proposal.simulation
    assert sim is not None  # a feasible salaried proposal always carries its simulation
    if sim.employer_cost.amount > balance.amount:  # pragma: no cover - engine guarantee
        raise ContractExceedsBalance(extra={"balance": str(balance.amount)})
    contract = Contract.objects.create(
        activity=locked,
        contract_type=contract_type,
        start=proposal.start,
        end=proposal.end,
        hours=hours,
        currency=cur,
        employer_budget=budget.amount,
        gross=sim.gross.amount,
        net=sim.net.amount,
        employer_contributions=sim.employer_contributions.amount,
        employee_contributions=sim.employee_contributions.amount,
        withholding=sim.withholding.amount,
        employer_cost=sim.employer_cost.amount,
        simulation=sim.to_dict(),
        pack_code=pack.code,
        pack_version=pack.version,
        parameters=pack_snapshot(pack, [proposal.start]),
        created_by=actor,
    )
    entry = ledger_post(
        activity=locked,
        kind="salary",
        amount=Money(-sim.employer_cost.amount, cur),
        booked_on=proposal.start,
        description=(
            f"Contract {contract.pk} ({contract_type}), {proposal.start.isoformat()} to "
            f"{proposal.end.isoformat()}: gross {sim.gross.amount} + employer contributions "
            f"{sim.employer_contributions.amount} {cur}"
        ),
        rule={
            "rule": "salary",
            "pack": pack.code,
            "version": pack.version,
            "as_of": proposal.start.isoformat(),
            "contract_type": contract_type,
            "gross": str(sim.gross.amount),
            "employer_contributions": str(sim.employer_contributions.amount),
            "employer_cost": str(sim.employer_cost.amount),
            "lines": [line.to_dict() for line in sim.lines if line.kind == "employer"],
            "parameters": contract.parameters["parameters"],
        },
        source=contract,
        idempotency_key=f"contract:{contract.pk}",
        created_by=actor,
    )
    contract.ledger_entry = entry
    contract.save(update_fields=["ledger_entry"])
    audit_record(
        actor=actor,
        action="contract.create",
        obj=contract,
        changes={
            "activity": locked.pk,
            "contract_type": contract_type,
            "start": proposal.start,
            "end": proposal.end,
            "employer_cost": sim.employer_cost.amount,
            "pack_version": pack.version,
            "ledger_entry": entry.pk,
        },
    )
    return contract


# --------------------------------------------------------------------------- parameters


def _expected_unit(name: str, currency: str) -> str:
    return f"{currency}/hour" if name == "minimum_wage_hourly" else "fraction"


def _parameter_clean(data: dict[str, Any], currency: str) -> dict[str, Any]:
    from tenants.labour_law.packs import generic

    names = declared_parameters(generic)
    name = data.get("name")
    if name not in names:
        raise PartnerParameterInvalid(
            _("Unknown parameter %(name)s; the generic pack uses: %(known)s.")
            % {"name": repr(name), "known": ", ".join(names)},
            {"fields": {"name": [_("One of: %(known)s.") % {"known": ", ".join(names)}]}},
        )
    expected = _expected_unit(name, currency)
    unit = data.get("unit") or expected
    if unit != expected:
        raise PartnerParameterInvalid(
            _("%(name)s is expressed in %(expected)s, not %(unit)s.")
            % {"name": name, "expected": expected, "unit": unit},
            {"fields": {"unit": [_("Must be %(expected)s.") % {"expected": expected}]}},
        )
    raw = {
        "name": name,
        "value": format(data["value"], "f"),
        "unit": unit,
        "effective_from": data["effective_from"],
        "source": data.get("source") or "",
        "note": data.get("note") or "",
    }
    if data.get("effective_until") is not None:
        raw["effective_until"] = data["effective_until"]
    try:
        _parse_entry(raw, "partner parameters", allowed_units(currency))
    except EssaimError as exc:
        message = str(exc.message).split(": ", 2)[-1]
        raise PartnerParameterInvalid(
            f"{name}: {message}", {"fields": {"value": [message]}}
        ) from None
    _check_date(data["effective_from"], "effective_from")
    return {**raw, "value": data["value"], "effective_until": data.get("effective_until")}


def _check_overlap(row: PartnerParameter) -> None:
    others = PartnerParameter.objects.select_for_update().filter(name=row.name).exclude(pk=row.pk)
    for other in others:
        ends_before = row.effective_until is not None and row.effective_until < other.effective_from
        starts_after = (
            other.effective_until is not None and other.effective_until < row.effective_from
        )
        if not (ends_before or starts_after):
            raise PartnerParameterInvalid(
                _(
                    "%(name)s: the period from %(start)s (until %(end)s) overlaps the one from "
                    "%(other_start)s (until %(other_end)s). Close the earlier period first "
                    "(effective_until)."
                )
                % {
                    "name": row.name,
                    "start": row.effective_from,
                    "end": row.effective_until or _("open-ended"),
                    "other_start": other.effective_from,
                    "other_end": other.effective_until or _("open-ended"),
                },
                {
                    "fields": {"effective_from": [_("Overlaps another period.")]},
                    "other": other.pk,
                },
            )


def _generic_only() -> str:
    from django.db import connection

    code = selectors.partner_pack_code()
    if code != selectors.GENERIC:
        raise PartnerParameterInvalid(
            _(
                "This partner uses the %(pack)s pack, whose parameters are set by the "
                "federation (packs/data/%(pack)s.toml); partner parameters apply to the generic "
                "pack only."
            )
            % {"pack": code}
        )
    return connection.tenant.currency


@transaction.atomic
def partner_parameter_create(*, actor, **data: Any) -> PartnerParameter:
    """Add a dated value of a generic-pack parameter (``name``, ``value`` Decimal,
    ``unit`` — default the parameter's own: ``fraction`` for rates, ``<CUR>/hour`` for
    ``minimum_wage_hourly`` —, ``effective_from``, optional ``effective_until``, ``source``
    required, ``note``). Raises ``PartnerParameterInvalid`` (unknown name, wrong unit,
    fraction outside [0, 1], missing source, overlapping period, partner not on the generic
    pack)."""
    currency = _generic_only()
    clean = _parameter_clean(data, currency)
    row = PartnerParameter(**clean, created_by=actor if getattr(actor, "pk", None) else None)
    _check_overlap(row)
    row.save()
    audit_record(actor=actor, action="labour_parameter.create", obj=row, changes=row.as_override())
    return row


@transaction.atomic
def partner_parameter_update(
    *, row: PartnerParameter, actor, data: dict[str, Any]
) -> PartnerParameter:
    """Change a dated value (same fields and errors as ``partner_parameter_create``).
    Recorded simulations keep the values they used (their snapshot)."""
    currency = _generic_only()
    merged = {
        "name": row.name,
        "value": row.value,
        "unit": row.unit,
        "effective_from": row.effective_from,
        "effective_until": row.effective_until,
        "source": row.source,
        "note": row.note,
        **data,
    }
    clean = _parameter_clean(merged, currency)
    for key, value in clean.items():
        setattr(row, key, value)
    _check_overlap(row)
    row.save()
    audit_record(actor=actor, action="labour_parameter.update", obj=row, changes=row.as_override())
    return row


@transaction.atomic
def partner_parameter_delete(*, row: PartnerParameter, actor) -> None:
    """Remove a dated value (recorded computations keep their snapshot)."""
    _generic_only()
    audit_record(actor=actor, action="labour_parameter.delete", obj=row, changes=row.as_override())
    row.delete()
