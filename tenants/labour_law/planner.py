"""Protection planning: spread irregular income over months so the worker stays protected.

Germany (``monthly_threshold``): a month counts when its gross pay is at or above the
threshold in force that month (the marginal-employment limit), and only inside a run of at
least ``min_consecutive_months`` such months. ``plan_protection`` chooses monthly payouts
that maximise the number of counted months, optimally (dynamic programming, proof below).

Payouts are in *employer-budget* terms (what leaves the member's activity: gross plus
employer contributions), because income arrives on the activity as employer budget (after
the cooperative's fee); each payout's gross is reported next to it, and the threshold is
checked on that gross.

France (``hours_over_period``): ``protection_status`` checks 507 hours over the last 12
months. Packs with no such rule answer with ``kind == "none"`` and say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from typing import Any

from common.errors import CurrencyMismatch, ValidationFailed
from common.money import Money, minor_unit, to_decimal
from common.months import month_end, month_starts
from tenants.labour_law.engine import _calc, hourly_minimum_wage
from tenants.labour_law.labels import gettext
from tenants.labour_law.packs.base import HOURS_OVER_PERIOD, MONTHLY_THRESHOLD
from tenants.labour_law.packs.loader import Pack

ZERO = Decimal(0)
LEFTOVER_MODES = ("spread", "last_month", "keep")


# --------------------------------------------------------------------------- rule


@dataclass(frozen=True, slots=True)
class ProtectionRuleInForce:
    """The protection rule of a pack on a date. ``kind``: ``monthly_threshold``,
    ``hours_over_period`` or ``none`` ("no monthly protection rule"); ``values`` maps each
    parameter the rule uses to its value (Decimal) on that date."""

    kind: str
    description: str
    values: dict[str, Decimal]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "description": self.description,
            "values": {k: str(v) for k, v in self.values.items()},
        }


def protection_rule(pack: Pack, on: date) -> ProtectionRuleInForce:
    """The pack's protection rule with its parameter values on ``on``. Raises
    ``RuleNotFound`` when a parameter it uses has no value then."""
    rule = pack.module.PROTECTION
    values = {name: pack.value(name, on) for name in rule.parameter_names()}
    return ProtectionRuleInForce(rule.kind, rule.description, values)


# --------------------------------------------------------------------------- helpers


def _amounts(values: Sequence[Money], currency: str, field: str) -> list[Decimal]:
    out = []
    for i, value in enumerate(values):
        if not isinstance(value, Money):
            raise ValidationFailed(
                gettext("%(field)s must be Money.") % {"field": f"{field}[{i}]"},
                {"fields": {field: [gettext("Must be Money.")]}},
            )
        if value.currency != currency:
            raise CurrencyMismatch(
                gettext("%(field)s is in %(currency)s, the pack computes in %(pack_currency)s.")
                % {"field": f"{field}[{i}]", "currency": value.currency, "pack_currency": currency},
                {"currencies": [value.currency, currency]},
            )
        if value.amount < 0:
            raise ValidationFailed(
                gettext("%(field)s must not be negative.") % {"field": f"{field}[{i}]"},
                {"fields": {field: [gettext("Must not be negative.")]}},
            )
        out.append(value.amount)
    return out


def _score(protected: Sequence[bool], run: int) -> int:
    """Months that are protected and inside a run of at least ``run`` protected months."""
    total = length = 0
    for flag in (*protected, False):
        if flag:
            length += 1
        else:
            if length >= run:
                total += length
            length = 0
    return total


def counted_months(protected: Sequence[bool], run: int) -> list[int]:
    """Indexes of months at/above the threshold that lie in a run of >= ``run`` months."""
    out: list[int] = []
    current: list[int] = []
    for i, flag in enumerate((*protected, False)):
        if flag:
            current.append(i)
        else:
            if len(current) >= run:
                out.extend(current)
            current = []
    return out


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True, slots=True)
class ProtectionPlan:
    """An optimal monthly payout plan.

    ``months``: ``YYYY-MM`` strings; ``payouts``: Money per month in employer-budget terms
    (gross + employer contributions, taken from the activity); ``gross``: the gross salary
    each payout buys; ``thresholds``: the gross threshold in force each month, ``threshold``
    the first month's; ``protected_months``: the months counted (at/above the threshold
    inside a run of at least ``min_consecutive_months``); ``carried_forward``: money left
    on the activity at the end (0 unless ``leftover="keep"``).
    """

    currency: str
    months: tuple[str, ...]
    payouts: tuple[Money, ...]
    gross: tuple[Money, ...]
    thresholds: tuple[Money, ...]
    threshold: Money
    protected_months: tuple[str, ...]
    min_consecutive_months: int
    carried_forward: Money
    pack_version: str
    as_of: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "months": list(self.months),
            "payouts": [str(p.amount) for p in self.payouts],
            "gross": [str(g.amount) for g in self.gross],
            "thresholds": [str(t.amount) for t in self.thresholds],
            "threshold": str(self.threshold.amount),
            "protected_months": list(self.protected_months),
            "min_consecutive_months": self.min_consecutive_months,
            "carried_forward": str(self.carried_forward.amount),
            "pack_version": self.pack_version,
            "as_of": self.as_of.isoformat(),
        }


def plan_protection(
    pack: Pack,
    *,
    start: date,
    incomes: Sequence[Money],
    opening_balance: Money | None = None,
    hours: Sequence[Decimal | int | str | None] | None = None,
    min_consecutive_months: int | None = None,
    leftover: str = "spread",
) -> ProtectionPlan:
    """Plan monthly payouts maximising the months counted for protection.

    ``start``: any day of the first month. ``incomes``: Money per month (pack currency),
    what reaches the activity that month after the cooperative's fee. ``opening_balance``:
    Money already on the activity before the first month. ``hours``: optional hours
    declared per month (None or 0: no work declared); a month with declared hours must pay
    at least hours × the hourly minimum wage in gross. ``min_consecutive_months``: run
    length required, default the pack's ``protection_min_consecutive_months`` on the first
    month. ``leftover``: what to do with money not needed for protection — ``spread`` (add
    it as evenly as cash allows to the months paid at the threshold, the rest to the last
    month), ``last_month`` or ``keep`` (carried forward, not paid).

    Guarantees: for every month m, opening + incomes[0..m] − payouts[0..m] >= 0; no month
    pays less than its declared hours at the minimum wage; the number of counted months is
    the maximum any such plan can reach. Raises ``ValidationFailed`` when the pack has no
    monthly threshold rule, inputs are malformed, or the money cannot even cover the
    declared hours; ``RuleNotFound`` when a parameter is missing for a month.
    """
    rule = pack.module.PROTECTION
    if rule.kind != MONTHLY_THRESHOLD:
        raise ValidationFailed(
            gettext("The %(pack)s pack has no monthly protection rule (%(kind)s): %(rule)s")
            % {"pack": pack.code, "kind": rule.kind, "rule": gettext(rule.description)},
            {"pack": pack.code, "kind": rule.kind},
        )
    if leftover not in LEFTOVER_MODES:
        raise ValidationFailed(
            gettext("leftover must be one of %(modes)s.") % {"modes": ", ".join(LEFTOVER_MODES)},
            {
                "fields": {
                    "leftover": [
                        gettext("One of %(values)s.") % {"values": ", ".join(LEFTOVER_MODES)}
                    ]
                }
            },
        )
    cur, q = pack.currency, minor_unit(pack.currency)
    income = _amounts(incomes, cur, "incomes")
    n = len(income)
    if n == 0:
        raise ValidationFailed(
            gettext("incomes must list at least one month."),
            {"fields": {"incomes": [gettext("Empty.")]}},
        )
    opening = _amounts([opening_balance or Money.zero(cur)], cur, "opening_balance")[0]
    if hours is not None and len(hours) != n:
        raise ValidationFailed(
            gettext("hours must list one value per month (%(months)s), got %(count)s.")
            % {"months": n, "count": len(hours)},
            {"fields": {"hours": [gettext("One value per month.")]}},
        )
    firsts = month_starts(start, n)
    run = min_consecutive_months
    if run is None:
        run = int(pack.value(rule.min_run, firsts[0]))
    if run < 1:
        raise ValidationFailed(
            gettext("min_consecutive_months must be at least 1."),
            {"fields": {"min_consecutive_months": [gettext("A positive whole number.")]}},
        )

    # Per month: the threshold, the employer cost of paying it (or the declared hours'
    # minimum if higher), and the mandatory cost of the declared hours alone.
    thresholds, calcs, mandatory, protect_cost, forced = [], [], [], [], []
    for m, first in enumerate(firsts):
        calc = _calc(pack, first, month_end(first), pack.module.DEFAULT_CONTRACT)
        threshold = pack.value(rule.threshold, first)
        declared = to_decimal(hours[m], f"hours[{m}]") if hours and hours[m] is not None else ZERO
        if declared < 0:
            raise ValidationFailed(
                gettext("%(field)s must not be negative.") % {"field": f"hours[{m}]"},
                {"fields": {f"hours[{m}]": [gettext("Must not be negative.")]}},
            )
        floor = ZERO
        if declared > 0:
            wage = hourly_minimum_wage(pack, first)
            if wage is not None:
                floor = (declared * wage).quantize(q, rounding=ROUND_CEILING)
        target = max(threshold, floor).quantize(q, rounding=ROUND_CEILING)
        thresholds.append(threshold)
        calcs.append(calc)
        mandatory.append(calc.cost(floor) if floor > 0 else ZERO)
        protect_cost.append(calc.cost(target))
        forced.append(floor >= threshold)

    available, total = [], opening
    for amount in income:
        total += amount
        available.append(total)

    chosen = _optimal_months(run, available, mandatory, protect_cost, forced, firsts, cur)
    payouts = [protect_cost[m] if chosen[m] else mandatory[m] for m in range(n)]
    rest = available[-1] - sum(payouts, ZERO)
    if leftover == "spread":
        rest = _spread(payouts, available, rest, q, [m for m in range(n) if chosen[m]])
    if leftover in ("spread", "last_month") and rest > 0:
        payouts[-1] += rest
        rest = ZERO

    gross = [calcs[m].gross_for_budget(payouts[m]) for m in range(n)]
    at_threshold = [gross[m] >= thresholds[m] for m in range(n)]
    counted = counted_months(at_threshold, run)
    labels = tuple(f"{d.year:04d}-{d.month:02d}" for d in firsts)
    return ProtectionPlan(
        currency=cur,
        months=labels,
        payouts=tuple(Money(p, cur) for p in payouts),
        gross=tuple(Money(g, cur) for g in gross),
        thresholds=tuple(Money(t, cur) for t in thresholds),
        threshold=Money(thresholds[0], cur),
        protected_months=tuple(labels[m] for m in counted),
        min_consecutive_months=run,
        carried_forward=Money(rest.quantize(q), cur),
        pack_version=pack.version,
        as_of=firsts[0],
    )


def _optimal_months(
    run: int,
    available: list[Decimal],
    mandatory: list[Decimal],
    protect_cost: list[Decimal],
    forced: list[bool],
    firsts: list[date],
    currency: str,
) -> list[bool]:
    """Which months to pay at the threshold, maximising counted months.

    Why this is optimal. (1) Reduction to a set: fix the set S of months paid at or above
    the threshold. Any plan realising S pays, each month, at least protect_cost[m] for m
    in S and mandatory[m] otherwise; the plan paying exactly these minima has pointwise
    smaller cumulative payouts, so it is feasible whenever any plan realising S is (money
    carried forward is monotone: paying less earlier never hurts later). Hence the problem
    is: choose S maximising score(S) = months of S inside runs of length >= run, subject
    to cumulative minimal cost <= cumulative available at every month.
    (2) Dynamic programming: scan months in order with state (k, s): k = length of the
    current run of S capped at ``run`` (k == run means the run is already long enough
    and every further month counts at once), s = score so far. Future feasibility and
    future score depend on the past only through k and the cumulative spend c, and a
    smaller c is never worse; so for each (month, k, s) keeping the minimal c is enough.
    Transitions: month m outside S (only if its declared hours alone stay below the
    threshold) costs mandatory[m] and resets k to 0; month m in S costs protect_cost[m],
    k -> min(k + 1, run), and s grows by ``run`` when the run just reached its length
    (all its months now count), by 1 when it already had, else by 0. A run cut short
    before reaching ``run`` never added to s, matching the definition. The best final s
    (ties: least spend) is the optimum; states: n × (run + 1) × (n + 1), O(n² · run).
    """
    n = len(available)
    # states[(k, s)] = (spend, back-pointer index into history)
    states: dict[tuple[int, int], tuple[Decimal, int]] = {(0, 0): (ZERO, -1)}
    history: list[tuple[int, bool]] = []  # (parent pointer, chosen) per created node
    for m in range(n):
        nxt: dict[tuple[int, int], tuple[Decimal, int]] = {}

        def push(key, spend, parent, chosen, nxt=nxt, m=m):
            if spend > available[m]:
                return
            best = nxt.get(key)
            if best is None or spend < best[0]:
                history.append((parent, chosen))
                nxt[key] = (spend, len(history) - 1)

        for (k, s), (spend, node) in states.items():
            if not forced[m]:
                push((0, s), spend + mandatory[m], node, False)
            k2 = min(k + 1, run)
            gain = run if k + 1 == run else (1 if k == run else 0)
            push((k2, s + gain), spend + protect_cost[m], node, True)
        if not nxt:
            month = f"{firsts[m].year:04d}-{firsts[m].month:02d}"
            raise ValidationFailed(
                gettext(
                    "The money available by %(month)s cannot pay the hours declared at the "
                    "minimum wage."
                )
                % {"month": month},
                {"month": month, "currency": currency},
            )
        states = nxt
    (_, _), (_, node) = max(states.items(), key=lambda item: (item[0][1], -item[1][0]))
    chosen = [False] * n
    for m in range(n - 1, -1, -1):
        parent, flag = history[node]
        chosen[m] = flag
        node = parent
    return chosen


def _spread(
    payouts: list[Decimal],
    available: list[Decimal],
    rest: Decimal,
    q: Decimal,
    months: list[int],
) -> Decimal:
    """Add ``rest`` evenly to the payouts of ``months`` (the months paid at the threshold)
    as far as cash allows: month m may receive at most the smallest slack (available −
    cumulative payouts) from m to the end, so every prefix stays covered. Returns what
    could not be placed; the caller adds it to the last month, where the slack is exactly
    the rest, so feasibility always holds."""
    n = len(payouts)
    if not months:
        return rest
    share = (rest / len(months)).quantize(q, rounding=ROUND_DOWN)
    if share <= 0:
        return rest
    for m in months:
        cumulative, slack_min = ZERO, rest
        for k in range(n):
            cumulative += payouts[k]
            if k >= m:
                slack = available[k] - cumulative
                if slack < slack_min:
                    slack_min = slack
        extra = min(share, slack_min)
        if extra > 0:
            payouts[m] += extra
            rest -= extra
    return rest


# --------------------------------------------------------------------------- status


@dataclass(frozen=True, slots=True)
class ProtectionStatus:
    """Whether a worker meets the pack's protection rule at the end of a history.

    ``kind`` as in ``ProtectionRuleInForce``; ``protected`` is None for ``none`` ("no
    monthly protection rule"). For ``hours_over_period``: ``hours_counted`` over the last
    ``reference_months`` against ``required_hours``. For ``monthly_threshold``:
    ``protected_months`` (YYYY-MM) counted from the gross history."""

    kind: str
    protected: bool | None
    message: str
    hours_counted: Decimal | None = None
    required_hours: Decimal | None = None
    reference_months: int | None = None
    protected_months: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "protected": self.protected,
            "message": self.message,
            "hours_counted": None if self.hours_counted is None else str(self.hours_counted),
            "required_hours": None if self.required_hours is None else str(self.required_hours),
            "reference_months": self.reference_months,
            "protected_months": list(self.protected_months),
        }


def protection_status(
    pack: Pack,
    *,
    start: date,
    hours: Sequence[Decimal | int | str] | None = None,
    gross: Sequence[Money] | None = None,
) -> ProtectionStatus:
    """Check the pack's protection rule on a monthly history starting in ``start``'s month.

    France (``hours_over_period``): ``hours`` worked per month (Decimal); protected when
    the last ``intermittent_reference_months`` months add up to at least
    ``intermittent_required_hours`` (507 hours over 12 months), values read on the last
    month. Germany (``monthly_threshold``): ``gross`` per month (Money); counted months are
    those at/above the threshold inside long-enough runs; protected when the last month is
    counted. Other packs: ``kind == "none"``, ``protected`` None, message "no monthly
    protection rule". Raises ``ValidationFailed`` when the needed history is missing.
    """
    rule = pack.module.PROTECTION
    if rule.kind == HOURS_OVER_PERIOD:
        if not hours:
            raise ValidationFailed(
                gettext("hours per month are required."),
                {"fields": {"hours": [gettext("Required.")]}},
            )
        values = [to_decimal(h, "hours") for h in hours]
        last = month_starts(start, len(values))[-1]
        required = pack.value(rule.required_hours, last)
        months = int(pack.value(rule.reference_months, last))
        counted = sum(values[-months:], ZERO)
        ok = counted >= required
        return ProtectionStatus(
            rule.kind,
            ok,
            gettext("%(counted)s hours over the last %(months)s months; %(required)s required.")
            % {"counted": counted, "months": months, "required": required},
            hours_counted=counted,
            required_hours=required,
            reference_months=months,
        )
    if rule.kind == MONTHLY_THRESHOLD:
        if not gross:
            raise ValidationFailed(
                gettext("gross per month is required."),
                {"fields": {"gross": [gettext("Required.")]}},
            )
        amounts = _amounts(gross, pack.currency, "gross")
        firsts = month_starts(start, len(amounts))
        run = int(pack.value(rule.min_run, firsts[0]))
        flags = [amounts[m] >= pack.value(rule.threshold, firsts[m]) for m in range(len(amounts))]
        counted = counted_months(flags, run)
        labels = [f"{d.year:04d}-{d.month:02d}" for d in firsts]
        ok = bool(counted) and counted[-1] == len(amounts) - 1
        return ProtectionStatus(
            rule.kind,
            ok,
            gettext(
                "%(counted)s month(s) counted; runs of at least %(run)s months at or above the "
                "threshold are required."
            )
            % {"counted": len(counted), "run": run},
            protected_months=tuple(labels[m] for m in counted),
        )
    return ProtectionStatus(rule.kind, None, rule.description)
