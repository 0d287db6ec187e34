"""Which contracts a member may sign, computed from an available balance (pure logic).

The database layer creates the chosen contract and debits the ledger; this module only
says what is allowed: duration limits of each contract type, the statutory minimum wage
(never pay fewer euros per hour than the minimum), the shortest working day the law
allows, and the balance (employer cost never above it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from typing import Any

from common.errors import ValidationFailed
from common.money import Money, minor_unit, to_decimal
from common.months import add_months, month_end
from tenants.labour_law.engine import (
    Simulation,
    employer_cost_for_gross,
    hourly_minimum_wage,
    period_months,
    simulate,
)
from tenants.labour_law.labels import gettext as _
from tenants.labour_law.packs.base import ContractType
from tenants.labour_law.packs.loader import Pack

HOUR_QUANTUM = Decimal("0.01")


class Reason(str):
    """A reason sentence in English that keeps its ``template`` (a ``str.format`` pattern
    listed in ``labels.py`` for translation) and its ``params`` (strings), so the API can
    show it in the user's language: ``gettext(reason.template).format(**reason.params)``."""

    template: str
    params: dict[str, str]

    def __new__(cls, template: str, **params: Any) -> Reason:
        values = {k: str(v) for k, v in params.items()}
        reason = super().__new__(cls, template.format(**values))
        reason.template = template
        reason.params = values
        return reason


@dataclass(frozen=True, slots=True)
class ContractProposal:
    """One contract type considered for the member.

    ``feasible`` False comes with ``reasons`` (human sentences). ``simulation`` is the pay
    the whole usable balance buys under this contract (None for a contract without salary
    or when nothing can be paid). ``hourly_minimum_wage`` (Decimal per hour, pack currency,
    None where the country has none), ``hours_payable`` (hours the gross pays at that
    minimum, rounded down to 0.01 h; None without a minimum wage), ``minimum_gross``
    (Money: the least gross the hours wanted or the shortest legal working time require).
    """

    contract_type: str
    label: str
    unit: str
    start: date
    end: date
    feasible: bool
    reasons: tuple[str, ...]
    salaried: bool
    simulation: Simulation | None
    hourly_minimum_wage: Decimal | None
    hours_payable: Decimal | None
    minimum_gross: Money | None
    source: str
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract_type": self.contract_type,
            "label": self.label,
            "unit": self.unit,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "feasible": self.feasible,
            "reasons": list(self.reasons),
            "salaried": self.salaried,
            "simulation": self.simulation.to_dict() if self.simulation else None,
            "hourly_minimum_wage": None
            if self.hourly_minimum_wage is None
            else str(self.hourly_minimum_wage),
            "hours_payable": None if self.hours_payable is None else str(self.hours_payable),
            "minimum_gross": None if self.minimum_gross is None else str(self.minimum_gross.amount),
            "source": self.source,
            "note": self.note,
        }


def _natural_end(ct: ContractType, start: date) -> date:
    if ct.unit == "day":
        return start
    return month_end(start)


def _duration_problem(ct: ContractType, start: date, end: date) -> Reason | None:
    days = (end - start).days + 1
    if ct.max_duration_days is not None and days > ct.max_duration_days:
        return Reason(
            "{contract} — at most {max_days} day(s) per contract; {start} to {end} is {days} days.",
            code=ct.code,
            contract=ct.label,
            max_days=ct.max_duration_days,
            start=start.isoformat(),
            end=end.isoformat(),
            days=days,
        )
    if ct.max_duration_months is not None:
        limit = add_months(start, ct.max_duration_months) - timedelta(days=1)
        if end > limit:
            return Reason(
                "{contract} — at most {max_months} month(s) per contract; it must end by {limit}.",
                code=ct.code,
                contract=ct.label,
                max_months=ct.max_duration_months,
                limit=limit.isoformat(),
            )
    return None


def propose_contracts(
    pack: Pack,
    *,
    balance: Money,
    on: date,
    end: date | None = None,
    hours_wanted: Decimal | int | str | None = None,
) -> list[ContractProposal]:
    """Proposals, one per contract type of the pack's country, for a member whose activity
    holds ``balance`` (Money in the pack currency, after the cooperative's fee) and who
    wants to start working on ``on``.

    ``end``: last day of the contract (inclusive); default the contract's natural unit
    (the same day for a daily contract, the end of the month otherwise). ``hours_wanted``:
    total hours to be worked over the contract (Decimal), optional. Each salaried proposal
    simulates the whole balance (capped at a contract's gross ceiling, e.g. the Minijob
    limit) so employer cost <= balance; it is not feasible when the duration exceeds the
    contract's limit, the balance is zero, or the gross does not pay the hours wanted (or
    the shortest legal working time) at the hourly minimum wage. Parameters are read on
    ``on``. Raises ``ValidationFailed`` (negative balance, end before on, negative hours),
    ``CurrencyMismatch``, ``RuleNotFound``.
    """
    if not isinstance(balance, Money):
        raise ValidationFailed(
            _("balance must be Money."), {"fields": {"balance": [_("Must be Money.")]}}
        )
    if balance.amount < 0:
        raise ValidationFailed(
            _("balance must not be negative (got %(value)s).") % {"value": balance},
            {"fields": {"balance": [_("Must not be negative.")]}},
        )
    hours = None
    if hours_wanted is not None:
        hours = to_decimal(hours_wanted, "hours_wanted")
        if hours <= 0:
            raise ValidationFailed(
                _("hours_wanted must be positive."),
                {"fields": {"hours_wanted": [_("Must be positive.")]}},
            )
    if end is not None and end < on:
        raise ValidationFailed(
            _("end %(end)s is before the start %(start)s.")
            % {"end": end.isoformat(), "start": on.isoformat()},
            {"fields": {"end": [_("Must not be before the start.")]}},
        )
    cur, q = pack.currency, minor_unit(pack.currency)
    wage = hourly_minimum_wage(pack, on)
    proposals = []
    for ct in pack.module.CONTRACT_TYPES:
        stop = end or _natural_end(ct, on)
        reasons: list[str] = []
        problem = _duration_problem(ct, on, stop)
        if problem:
            reasons.append(problem)
        if not ct.salaried:
            proposals.append(
                ContractProposal(
                    ct.code,
                    ct.label,
                    ct.unit,
                    on,
                    stop,
                    not reasons,
                    tuple(reasons),
                    False,
                    None,
                    wage,
                    None,
                    None,
                    ct.source,
                    ct.note,
                )
            )
            continue
        budget = balance
        scheme = pack.module.SCHEMES[ct.scheme]
        if scheme.gross_ceiling:
            ceiling = pack.value(scheme.gross_ceiling, on) * period_months(on, stop)
            ceiling_cost = employer_cost_for_gross(
                pack,
                gross=Money(ceiling.quantize(q, rounding=ROUND_DOWN), cur),
                period_start=on,
                period_end=stop,
                contract_type=ct.code,
            )
            budget = min(budget, ceiling_cost)
        sim = simulate(pack, amount=budget, period_start=on, period_end=stop, contract_type=ct.code)
        if sim.gross.amount <= 0:
            reasons.append(Reason("The balance pays no salary."))
        minimum_hours = hours
        if ct.min_hours_per_day is not None:
            days = (stop - on).days + 1 if ct.unit == "day" else 1
            legal_minimum = ct.min_hours_per_day * days
            if minimum_hours is None or minimum_hours < legal_minimum:
                if minimum_hours is not None:
                    reasons.append(
                        Reason(
                            "{contract} — at least {min_hours} hours per day worked; {hours} "
                            "hours asked.",
                            code=ct.code,
                            contract=ct.label,
                            min_hours=ct.min_hours_per_day,
                            hours=minimum_hours,
                        )
                    )
                minimum_hours = legal_minimum
        hours_payable = minimum_gross = None
        if wage is not None:
            hours_payable = (sim.gross.amount / wage).quantize(HOUR_QUANTUM, rounding=ROUND_DOWN)
            if minimum_hours is not None:
                needed = (minimum_hours * wage).quantize(q, rounding=ROUND_CEILING)
                minimum_gross = Money(needed, cur)
                if sim.gross.amount < needed:
                    reasons.append(
                        Reason(
                            "The balance pays {gross} {currency} gross, {hours_payable} hours "
                            "at the minimum wage of {wage} {currency}/hour; {hours} hours need "
                            "{needed} {currency} gross.",
                            gross=sim.gross.amount,
                            currency=cur,
                            hours_payable=hours_payable,
                            wage=wage.quantize(Decimal("0.0001")),
                            hours=minimum_hours,
                            needed=needed,
                        )
                    )
        proposals.append(
            ContractProposal(
                ct.code,
                ct.label,
                ct.unit,
                on,
                stop,
                not reasons,
                tuple(reasons),
                True,
                sim,
                wage,
                hours_payable,
                minimum_gross,
                ct.source,
                ct.note,
            )
        )
    return proposals
