"""Recorded computations. A salary simulation or an income plan is stored with its inputs
(decimal strings and ISO dates, so that they read back exactly) and with the snapshot of
the parameter periods it read (``snapshots.pack_snapshot``). These functions run a
computation from such inputs, and re-run a recorded one on its snapshot to show that it
reproduces (and, on today's pack, what changed since). Pure: no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from common.errors import EssaimError
from common.money import Money, minor_unit
from common.months import month_starts
from tenants.labour_law.engine import Simulation, simulate, simulate_for_net
from tenants.labour_law.models import SimulationMode
from tenants.labour_law.packs import Pack
from tenants.labour_law.packs.base import MONTHLY_THRESHOLD
from tenants.labour_law.planner import plan_protection, protection_rule
from tenants.labour_law.snapshots import pack_from_snapshot, pack_snapshot, snapshot_differences


def simulation_result(pack: Pack, inputs: dict[str, Any]) -> dict[str, Any]:
    """Run the engine on a simulation's recorded ``inputs`` (decimal strings, ISO dates)
    → its result dict (``Simulation.to_dict()``, plus the turnover and fee when given)."""
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


def plan_result(pack: Pack, inputs: dict[str, Any]) -> dict[str, Any]:
    """Plan on an income plan's recorded ``inputs`` → result dict (plan, per-month detail,
    rule and its sourced parameters), or the explicit statement that no monthly rule
    applies."""
    start = dt.date.fromisoformat(inputs["start_month"])
    cur = pack.currency
    incomes = [Decimal(v) for v in inputs["incomes"]]
    months = [f"{d.year:04d}-{d.month:02d}" for d in month_starts(start, len(incomes))]
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
    first = month_starts(start, 1)[0]
    result.update(
        data,
        applicable=True,
        message=None,
        detail=detail,
        threshold_parameter=pack.period(rule_def.threshold, first).to_dict(),
        min_consecutive_months_parameter=pack.period(rule_def.min_run, first).to_dict(),
    )
    return result


def reproduction(
    *,
    recorded_result: dict[str, Any],
    snapshot: dict[str, Any],
    dates: Sequence[dt.date],
    run: Callable[[Pack], dict[str, Any]],
    current_pack: Callable[[], Pack],
) -> dict[str, Any]:
    """Re-run ``run(pack) -> result`` on the recorded ``snapshot``, and on the pack
    ``current_pack()`` loads today, and say whether they match ``recorded_result`` and why
    today's may differ (parameters in force on ``dates`` that changed since).

    Returns ``{"matches", "recorded_pack_version", "reproduced", "current_pack_version",
    "pack_changed", "changes": [{"name", "recorded", "current"}], "current",
    "current_error"}``; a pack that cannot compute today gives ``current_error``
    (``{"message", "code", "extra"}``) instead of raising."""
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
        pack_today = current_pack()
    except EssaimError as exc:
        out["current_error"] = {"message": str(exc.message), "code": exc.code, "extra": exc.extra}
        return out
    out["current_pack_version"] = pack_today.version
    current_snapshot = pack_snapshot(pack_today, dates)
    changes = snapshot_differences(snapshot, current_snapshot)
    out["pack_changed"] = pack_today.version != snapshot.get("version")
    out["changes"] = changes
    if out["pack_changed"]:
        try:
            out["current"] = run(pack_today)
        except EssaimError as exc:
            out["current_error"] = {
                "message": str(exc.message),
                "code": exc.code,
                "extra": exc.extra,
            }
    return out
