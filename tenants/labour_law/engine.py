"""Salary simulation under a labour-law rule pack, as of a date (pure Python, no database).

Vocabulary:
- *employer budget* (``amount``): what the activity makes available after the cooperative's
  fee; it pays the gross salary and the employer's contributions (= employer cost).
- *gross*: the salary on the contract; employee contributions and withholding are taken
  from it, leaving *net*.

Rates are fractions (``Decimal('0.186')`` is 18.6 %); money is ``Money`` in the pack's
currency, rounded half-up to the currency's minor unit (``common.money``). Each total is
rounded once (sum of exact line amounts, then rounded), and the lines are then adjusted by
largest remainder so they add up to the total; this keeps every result monotonic in the
amount. Parameters are read on ``period_start`` (the *as of* date) and apply to the whole
period; split a period that crosses a change of rates. Ceilings are monthly and multiplied
by the number of months of the period (partial months count by calendar days).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Decimal
from typing import Any

from common.errors import CurrencyMismatch, ValidationFailed
from common.money import ROUNDING, Money, minor_unit
from common.months import days_in_month, month_end
from tenants.labour_law.labels import gettext as _
from tenants.labour_law.packs.loader import Pack, ParameterPeriod, declared_parameters

ZERO = Decimal(0)
ONE = Decimal(1)

__all__ = [
    "Line",
    "Simulation",
    "contract_types",
    "employer_cost_for_gross",
    "hourly_minimum_wage",
    "parameters_on",
    "period_months",
    "simulate",
    "simulate_for_net",
]


# --------------------------------------------------------------------------- parameters


def parameters_on(pack: Pack, on: date) -> list[ParameterPeriod]:
    """Every parameter of ``pack`` in force on ``on``, sorted by name.

    Each item is a ``ParameterPeriod`` (name, value: Decimal, unit, effective_from,
    effective_until or None, source, note); ``.to_dict()`` gives the JSON form the API
    returns for ``labour-law/parameters/?on=DATE``. Parameters with no period covering
    ``on`` are left out. The figures and their sources come from ``packs/data/<cc>.toml``.
    """
    return pack.in_force(on)


def missing_parameters_on(pack: Pack, on: date) -> list[str]:
    """The parameters the pack's country module uses (its ``PARAMETERS``) that have no
    value in force on ``on``, in declaration order: any computation on that date that needs
    one raises ``RuleNotFound``."""
    return [
        name
        for name in declared_parameters(pack.module)
        if not any(p.covers(on) for p in pack.parameters.get(name, ()))
    ]


def hourly_minimum_wage(pack: Pack, on: date) -> Decimal | None:
    """The statutory gross minimum wage per hour (Decimal, pack currency) on ``on``, or
    None where the country has none (Italy, Austria, Sweden: collective agreements).

    Raises ``RuleNotFound`` if a parameter it needs has no value on that date.
    """
    cached = pack._cache.get(("mw", on))
    if cached is None:
        value = pack.module.hourly_minimum_wage(lambda name: pack.value(name, on))
        cached = pack._cache[("mw", on)] = (value,)
    return cached[0]


def contract_types(pack: Pack) -> tuple[Any, ...]:
    """The contract types (``packs.base.ContractType``) the pack's country allows."""
    return tuple(pack.module.CONTRACT_TYPES)


# --------------------------------------------------------------------------- periods


def _validate_period(period_start: date, period_end: date) -> None:
    if not isinstance(period_start, date) or not isinstance(period_end, date):
        raise ValidationFailed(
            _("period_start and period_end must be dates."),
            {
                "fields": {
                    name: [_("A date is expected.")]
                    for name, value in (("period_start", period_start), ("period_end", period_end))
                    if not isinstance(value, date)
                },
            },
        )
    if period_end < period_start:
        raise ValidationFailed(
            _("period_end %(end)s is before period_start %(start)s.")
            % {"end": period_end.isoformat(), "start": period_start.isoformat()},
            {"fields": {"period_end": [_("Must not be before period_start.")]}},
        )


def period_months(period_start: date, period_end: date) -> Decimal:
    """Length of the period in months (Decimal): whole calendar months count 1, partial
    months count their calendar days over the month's days (1–15 January = 15/31)."""
    _validate_period(period_start, period_end)
    if period_start.day == 1 and (period_end + timedelta(days=1)).day == 1:
        return Decimal(
            (period_end.year - period_start.year) * 12 + period_end.month - period_start.month + 1
        )
    total = ZERO
    cursor = period_start
    while cursor <= period_end:
        last_of_month = month_end(cursor)
        last = min(last_of_month, period_end)
        total += Decimal((last - cursor).days + 1) / Decimal(days_in_month(cursor))
        cursor = last_of_month + timedelta(days=1)
    return total


# --------------------------------------------------------------------------- compiled scheme


@dataclass(frozen=True, slots=True)
class _Item:
    label: str
    parameter: str
    rate: Decimal  # effective fraction: published rate × share
    fraction: Decimal | None  # share of gross that forms the base
    cap: Decimal | None  # monthly ceiling
    ceiling_parameter: str | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    employer: tuple[_Item, ...]
    employee: tuple[_Item, ...]
    tax_label: str | None
    tax_parameter: str | None
    tax_rate: Decimal
    tax_allowance: Decimal  # monthly
    gross_ceiling: Decimal | None
    gross_ceiling_parameter: str | None


def _compile(pack: Pack, on: date, contract_type: str) -> _Compiled:
    key = ("scheme", on, contract_type)
    compiled = pack._cache.get(key)
    if compiled is not None:
        return compiled
    scheme = pack.module.SCHEMES[_scheme_name(pack, contract_type)]

    def items(contributions):
        out = []
        for c in contributions:
            rate = pack.value(c.rate, on) * c.share
            label = c.rate if c.share == ONE else f"{c.rate} × {c.share}"
            out.append(
                _Item(
                    c.label,
                    label,
                    rate,
                    pack.value(c.base_fraction, on) if c.base_fraction else None,
                    pack.value(c.ceiling, on) if c.ceiling else None,
                    c.ceiling,
                )
            )
        return tuple(out)

    wh = scheme.withholding
    compiled = _Compiled(
        employer=items(scheme.employer),
        employee=items(scheme.employee),
        tax_label=wh.label if wh else None,
        tax_parameter=wh.rate if wh else None,
        tax_rate=pack.value(wh.rate, on) if wh else ZERO,
        tax_allowance=pack.value(wh.allowance, on) if wh and wh.allowance else ZERO,
        gross_ceiling=pack.value(scheme.gross_ceiling, on) if scheme.gross_ceiling else None,
        gross_ceiling_parameter=scheme.gross_ceiling,
    )
    pack._cache[key] = compiled
    return compiled


def _scheme_name(pack: Pack, contract_type: str) -> str:
    for ct in pack.module.CONTRACT_TYPES:
        if ct.code == contract_type:
            return ct.scheme
    known = ", ".join(ct.code for ct in pack.module.CONTRACT_TYPES)
    raise ValidationFailed(
        _("Unknown contract type %(contract_type)s for the %(pack)s pack; known: %(known)s.")
        % {"contract_type": repr(contract_type), "pack": pack.code, "known": known},
        {"fields": {"contract_type": [_("Choose one of: %(known)s.") % {"known": known}]}},
    )


def _bases(items: tuple[_Item, ...], gross: Decimal, months: Decimal) -> list[Decimal]:
    bases = []
    for it in items:
        base = gross * it.fraction if it.fraction is not None else gross
        if it.cap is not None:
            cap = it.cap * months
            if base > cap:
                base = cap
        bases.append(base)
    return bases


def _exact_total(items: tuple[_Item, ...], gross: Decimal, months: Decimal) -> Decimal:
    total = ZERO
    for it in items:
        base = gross * it.fraction if it.fraction is not None else gross
        if it.cap is not None:
            cap = it.cap * months
            if base > cap:
                base = cap
        total += base * it.rate
    return total


def _breakpoints(items: tuple[_Item, ...], months: Decimal) -> list[Decimal]:
    points = []
    for it in items:
        if it.cap is not None:
            points.append(it.cap * months / (it.fraction if it.fraction else ONE))
    return points


def _invert(func, breakpoints: list[Decimal], target: Decimal) -> Decimal:
    """Inverse of a continuous, increasing, piecewise-linear ``func`` whose kinks are all in
    ``breakpoints``: the g >= 0 with func(g) == target (exact, unrounded)."""
    lo_g, lo_v = ZERO, func(ZERO)
    if target <= lo_v:
        return ZERO
    for point in sorted(breakpoints) if breakpoints else ():
        if point <= lo_g:
            continue
        value = func(point)
        if value >= target:
            return lo_g + (target - lo_v) * (point - lo_g) / (value - lo_v)
        lo_g, lo_v = point, value
    slope = func(lo_g + ONE) - lo_v
    return lo_g + (target - lo_v) / slope


class _Calc:
    """The rounded functions of gross for one scheme, period and currency."""

    __slots__ = ("c", "months", "q")

    def __init__(self, compiled: _Compiled, months: Decimal, quantum: Decimal):
        self.c = compiled
        self.months = months
        self.q = quantum

    def rnd(self, value: Decimal) -> Decimal:
        return value.quantize(self.q, rounding=ROUNDING)

    def employer_total(self, gross: Decimal) -> Decimal:
        return self.rnd(_exact_total(self.c.employer, gross, self.months))

    def cost(self, gross: Decimal) -> Decimal:
        return gross + self.employer_total(gross)

    def employee_total(self, gross: Decimal) -> Decimal:
        return self.rnd(_exact_total(self.c.employee, gross, self.months))

    def tax_base(self, gross: Decimal, employee: Decimal) -> Decimal:
        base = gross - employee - self.c.tax_allowance * self.months
        return base if base > ZERO else ZERO

    def net(self, gross: Decimal) -> Decimal:
        employee = self.employee_total(gross)
        tax = self.rnd(self.c.tax_rate * self.tax_base(gross, employee))
        return gross - employee - tax

    # Exact (unrounded) versions, only used to find a starting point near the answer.
    def cost_exact(self, gross: Decimal) -> Decimal:
        return gross + _exact_total(self.c.employer, gross, self.months)

    def net_exact(self, gross: Decimal) -> Decimal:
        after = gross - _exact_total(self.c.employee, gross, self.months)
        taxable = after - self.c.tax_allowance * self.months
        return after - (self.c.tax_rate * taxable if taxable > ZERO else ZERO)

    def gross_for_budget(self, budget: Decimal) -> Decimal:
        """The largest gross (on the minor-unit grid) whose employer cost is <= budget."""
        start = _invert(self.cost_exact, _breakpoints(self.c.employer, self.months), budget)
        gross = start.quantize(self.q, rounding=ROUND_FLOOR)
        q = self.q
        # cost() is strictly increasing by one or two minor units per step, so a few steps
        # at most move from the exact inverse to the rounded answer.
        while self.cost(gross + q) <= budget:
            gross += q
        while gross > ZERO and self.cost(gross) > budget:
            gross -= q
        return gross

    def gross_for_net(self, target: Decimal) -> Decimal:
        """The smallest gross (on the minor-unit grid) whose net is >= target."""
        points = _breakpoints(self.c.employee, self.months)
        if self.c.tax_rate:
            allowance = self.c.tax_allowance * self.months

            def after(g: Decimal) -> Decimal:
                return g - _exact_total(self.c.employee, g, self.months)

            points.append(_invert(after, list(points), allowance))
        start = _invert(self.net_exact, points, target)
        gross = start.quantize(self.q, rounding=ROUND_CEILING)
        q = self.q
        while self.net(gross) < target:
            gross += q
        while gross > ZERO and self.net(gross - q) >= target:
            gross -= q
        return gross


def _calc(pack: Pack, period_start: date, period_end: date, contract_type: str) -> _Calc:
    months = period_months(period_start, period_end)
    return _Calc(_compile(pack, period_start, contract_type), months, minor_unit(pack.currency))


# --------------------------------------------------------------------------- results


def _money(amount: Decimal, currency: str) -> Money:
    """A Money from an already-checked Decimal and currency code, skipping re-validation
    (the hot path builds nine per simulation)."""
    money = object.__new__(Money)
    object.__setattr__(money, "amount", amount)
    object.__setattr__(money, "currency", currency)
    return money


@dataclass(slots=True)
class Line:
    """One computed line. ``kind``: ``employer``, ``employee`` or ``withholding``.
    ``rate`` is the fraction applied (published rate × share), ``base`` the amount it was
    applied to (after ceiling), ``amount`` the rounded result, all in the pack currency;
    ``parameter`` names the data-file parameter(s) that produced it."""

    kind: str
    label: str
    parameter: str
    rate: Decimal
    base: Decimal
    amount: Decimal
    ceiling_parameter: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "parameter": self.parameter,
            "rate": str(self.rate),
            "base": str(self.base),
            "amount": str(self.amount),
            "ceiling_parameter": self.ceiling_parameter,
        }


@dataclass(frozen=True, slots=True)
class Simulation:
    """A salary simulation. Money fields are ``Money`` in ``currency``:

    - ``amount``: the employer budget the simulation started from (after the fee);
    - ``gross``, ``net``, ``employer_contributions``, ``employee_contributions``,
      ``withholding``; ``employer_cost`` = gross + employer contributions <= amount;
    - ``unallocated`` = amount − employer cost (0 or one minor unit, a rounding rest that
      stays on the activity);
    - ``turnover`` and ``fee``: the turnover needed before the cooperative's fee (at
      ``fee_rate``, a fraction) to fund ``amount``, when a fee rate was given.

    ``pack_version`` and ``as_of`` (the date the parameters were read on) make the result
    reproducible.
    """

    currency: str
    amount: Money
    gross: Money
    net: Money
    employer_cost: Money
    employer_contributions: Money
    employee_contributions: Money
    withholding: Money
    unallocated: Money
    lines: tuple[Line, ...]
    pack_version: str
    as_of: date
    period_start: date
    period_end: date
    months: Decimal
    contract_type: str
    fee_rate: Decimal | None = None
    turnover: Money | None = None
    fee: Money | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with the contract's response field names; amounts are decimal
        strings in ``currency``, dates ISO strings."""
        return {
            "currency": self.currency,
            "amount": str(self.amount.amount),
            "gross": str(self.gross.amount),
            "net": str(self.net.amount),
            "employer_cost": str(self.employer_cost.amount),
            "employer_contributions": str(self.employer_contributions.amount),
            "employee_contributions": str(self.employee_contributions.amount),
            "withholding": str(self.withholding.amount),
            "unallocated": str(self.unallocated.amount),
            "lines": [line.to_dict() for line in self.lines],
            "pack_version": self.pack_version,
            "as_of": self.as_of.isoformat(),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "months": str(self.months),
            "contract_type": self.contract_type,
            "fee_rate": None if self.fee_rate is None else str(self.fee_rate),
            "turnover": None if self.turnover is None else str(self.turnover.amount),
            "fee": None if self.fee is None else str(self.fee.amount),
        }


def _lines(kind: str, items, bases, total: Decimal, q: Decimal) -> list[Line]:
    """Lines whose amounts add up to ``total``: each exact amount is truncated to the minor
    unit, then the missing units go to the lines with the largest remainders."""
    exact = [base * it.rate for it, base in zip(items, bases, strict=True)]
    floors = [e.quantize(q, rounding=ROUND_DOWN) for e in exact]
    missing = int((total - sum(floors, ZERO)) / q)
    if missing > 0:
        order = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
        for i in order[:missing]:
            floors[i] += q
    return [
        Line(kind, it.label, it.parameter, it.rate, base, amount, it.ceiling_parameter)
        for it, base, amount in zip(items, bases, floors, strict=True)
    ]


def _turnover(budget: Decimal, fee_rate: Decimal, calc: _Calc) -> tuple[Decimal, Decimal]:
    """Smallest turnover T (minor-unit grid) with T − round(T × fee_rate) >= budget."""
    q = calc.q
    turnover = (budget / (ONE - fee_rate)).quantize(q, rounding=ROUND_CEILING)
    while turnover - calc.rnd(turnover * fee_rate) < budget:
        turnover += q
    while turnover > ZERO and (turnover - q) - calc.rnd((turnover - q) * fee_rate) >= budget:
        turnover -= q
    return turnover, calc.rnd(turnover * fee_rate)


def _check_inputs(pack: Pack, money: Money, field: str, fee_rate: Decimal | None) -> None:
    if not isinstance(money, Money):
        raise ValidationFailed(
            _("%(field)s must be Money.") % {"field": field},
            {"fields": {field: [_("Must be Money.")]}},
        )
    if money.currency != pack.currency:
        raise CurrencyMismatch(
            _("%(field)s is in %(currency)s but the %(pack)s pack computes in %(pack_currency)s.")
            % {
                "field": field,
                "currency": money.currency,
                "pack": pack.code,
                "pack_currency": pack.currency,
            },
            {"currencies": [money.currency, pack.currency]},
        )
    if money.amount < 0:
        raise ValidationFailed(
            _("%(field)s must not be negative (got %(value)s).") % {"field": field, "value": money},
            {"fields": {field: [_("Must not be negative.")]}},
        )
    if fee_rate is not None and (not isinstance(fee_rate, Decimal) or not (ZERO <= fee_rate < ONE)):
        raise ValidationFailed(
            _("fee_rate must be a fraction in [0, 1), e.g. 0.07; got %(value)s.")
            % {"value": repr(fee_rate)},
            {"fields": {"fee_rate": [_("A fraction in [0, 1).")]}},
        )


def _build(
    pack: Pack,
    calc: _Calc,
    budget: Decimal,
    gross: Decimal,
    period_start: date,
    period_end: date,
    contract_type: str,
    fee_rate: Decimal | None,
) -> Simulation:
    c, months, q, cur = calc.c, calc.months, calc.q, pack.currency
    er_total = calc.employer_total(gross)
    ee_total = calc.employee_total(gross)
    lines = _lines("employer", c.employer, _bases(c.employer, gross, months), er_total, q)
    lines += _lines("employee", c.employee, _bases(c.employee, gross, months), ee_total, q)
    tax = ZERO.quantize(q)
    if c.tax_parameter:
        tax_base = calc.tax_base(gross, ee_total)
        tax = calc.rnd(c.tax_rate * tax_base)
        lines.append(Line("withholding", c.tax_label, c.tax_parameter, c.tax_rate, tax_base, tax))
    cost = gross + er_total
    turnover = fee = None
    if fee_rate is not None:
        t, f = _turnover(budget, fee_rate, calc)
        turnover, fee = _money(t, cur), _money(f, cur)
    # Show the budget with the currency's digits when that loses nothing.
    shown = budget.quantize(q) if budget.quantize(q) == budget else budget
    return Simulation(
        currency=cur,
        amount=_money(shown, cur),
        gross=_money(gross, cur),
        net=_money(gross - ee_total - tax, cur),
        employer_cost=_money(cost, cur),
        employer_contributions=_money(er_total, cur),
        employee_contributions=_money(ee_total, cur),
        withholding=_money(tax, cur),
        unallocated=_money((budget - cost).quantize(q, rounding=ROUND_DOWN), cur),
        lines=tuple(lines),
        pack_version=pack.version,
        as_of=period_start,
        period_start=period_start,
        period_end=period_end,
        months=months,
        contract_type=contract_type,
        fee_rate=fee_rate,
        turnover=turnover,
        fee=fee,
    )


def _contract_label(pack: Pack, contract_type: str) -> str:
    """The translated label of ``contract_type`` (its code when the pack has none)."""
    for ct in pack.module.CONTRACT_TYPES:
        if ct.code == contract_type:
            return _(ct.label)
    return contract_type


def _check_gross_ceiling(pack: Pack, calc: _Calc, gross: Decimal, contract_type: str) -> None:
    ceiling = calc.c.gross_ceiling
    if ceiling is not None and gross > ceiling * calc.months:
        limit = calc.rnd(ceiling * calc.months)
        raise ValidationFailed(
            _(
                "%(contract_type)s pays at most %(limit)s %(currency)s gross for this "
                "period (%(parameter)s = %(ceiling)s %(currency)s/month); this amount would pay "
                "%(gross)s."
            )
            % {
                "contract_type": _contract_label(pack, contract_type),
                "limit": limit,
                "currency": pack.currency,
                "parameter": calc.c.gross_ceiling_parameter,
                "ceiling": ceiling,
                "gross": gross,
            },
            {
                "fields": {"amount": [_("At most %(limit)s gross.") % {"limit": limit}]},
                "parameter": calc.c.gross_ceiling_parameter,
            },
        )


def simulate(
    pack: Pack,
    *,
    amount: Money,
    period_start: date,
    period_end: date,
    contract_type: str | None = None,
    fee_rate: Decimal | None = None,
) -> Simulation:
    """What an employer budget becomes: employer contributions, gross, employee
    contributions, withholding and net, with the lines that produced them.

    ``amount``: Money in the pack's currency, the budget available on the activity AFTER
    the cooperative's fee (= maximum employer cost). ``period_start``/``period_end``: the
    pay period (inclusive); parameters are read on ``period_start``. ``contract_type``: a
    code from ``contract_types(pack)``, default the country's usual contract.
    ``fee_rate``: optional fraction (Decimal('0.07') for 7 %) to also return the turnover
    needed before the fee.

    Returns a ``Simulation`` (gross = largest amount whose employer cost fits the budget).
    Raises ``ValidationFailed`` (negative amount, period_end before period_start, unknown
    contract type, gross above the contract's ceiling such as the Minijob limit, bad fee
    rate), ``CurrencyMismatch``, ``RuleNotFound`` (naming the parameter and date when no
    value is in force). Figures and sources: ``packs/data/<cc>.toml``.
    """
    _check_inputs(pack, amount, "amount", fee_rate)
    contract_type = contract_type or pack.module.DEFAULT_CONTRACT
    calc = _calc(pack, period_start, period_end, contract_type)
    budget = amount.amount
    gross = calc.gross_for_budget(budget)
    _check_gross_ceiling(pack, calc, gross, contract_type)
    return _build(pack, calc, budget, gross, period_start, period_end, contract_type, fee_rate)


def simulate_for_net(
    pack: Pack,
    *,
    target_net: Money,
    period_start: date,
    period_end: date,
    contract_type: str | None = None,
    fee_rate: Decimal | None = None,
) -> Simulation:
    """The reverse simulation: the smallest employer budget whose net is ``target_net``.

    ``target_net``: Money in the pack's currency. ``fee_rate``: optional fraction of
    turnover the cooperative keeps; when given, ``turnover`` and ``fee`` say what the
    member must invoice (before the fee) to fund the budget. Returns a ``Simulation`` whose
    ``amount`` is that budget; ``simulate(pack, amount=result.amount, ...)`` returns the
    same gross and net (net equals the target to the minor unit). Raises as ``simulate``.
    """
    _check_inputs(pack, target_net, "target_net", fee_rate)
    contract_type = contract_type or pack.module.DEFAULT_CONTRACT
    calc = _calc(pack, period_start, period_end, contract_type)
    gross = calc.gross_for_net(target_net.amount)
    _check_gross_ceiling(pack, calc, gross, contract_type)
    budget = calc.cost(gross)
    return _build(pack, calc, budget, gross, period_start, period_end, contract_type, fee_rate)


def employer_cost_for_gross(
    pack: Pack,
    *,
    gross: Money,
    period_start: date,
    period_end: date,
    contract_type: str | None = None,
) -> Money:
    """The employer cost (Money, pack currency) of paying ``gross`` over the period: gross
    plus rounded employer contributions. Raises as ``simulate``."""
    _check_inputs(pack, gross, "gross", None)
    contract_type = contract_type or pack.module.DEFAULT_CONTRACT
    calc = _calc(pack, period_start, period_end, contract_type)
    g = gross.amount.quantize(calc.q, rounding=ROUND_CEILING)
    return Money(calc.cost(g), pack.currency)


def values_on(pack: Pack, on: date, names: list[str]) -> Mapping[str, Decimal]:
    """``{name: value}`` for ``names`` on ``on``; raises ``RuleNotFound`` for a missing one."""
    return {name: pack.value(name, on) for name in names}
