"""Building blocks a country module uses to declare its structure.

A country module (``packs/<cc>.py``) holds no figure: every rate, ceiling and threshold is a
named parameter in ``packs/data/<cc>.toml``. The module says how those parameters combine:
which contributions the employer and the employee pay (``Scheme``), which contracts a member
may sign (``ContractType``) and which protection rule applies (``ProtectionRule``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ONE = Decimal(1)
HALF = Decimal("0.5")


@dataclass(frozen=True, slots=True)
class Contribution:
    """One social contribution line: ``rate`` (a ``fraction`` parameter) times ``share``
    (e.g. 0.5 when employer and employee split a published total rate) applied to gross
    salary times ``base_fraction`` (a ``fraction`` parameter, e.g. France's CSG base of
    98.25 %), capped at ``ceiling`` (a ``<CUR>/month`` parameter) times the months of the
    period."""

    label: str
    rate: str
    share: Decimal = ONE
    ceiling: str | None = None
    base_fraction: str | None = None

    def parameter_names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.rate, self.ceiling, self.base_fraction) if n)


@dataclass(frozen=True, slots=True)
class Withholding:
    """Income-tax withholding approximation: ``rate`` (fraction) times
    (gross − employee contributions − ``allowance`` × months), never below zero.
    ``allowance`` is a ``<CUR>/month`` parameter or None."""

    label: str
    rate: str
    allowance: str | None = None

    def parameter_names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.rate, self.allowance) if n)


@dataclass(frozen=True, slots=True)
class Scheme:
    """How a salary is computed under one contract type.

    ``gross_ceiling`` names a ``<CUR>/month`` parameter the gross may not exceed per month
    (Germany's Minijob limit); None when there is no such limit.
    """

    employer: tuple[Contribution, ...]
    employee: tuple[Contribution, ...]
    withholding: Withholding | None = None
    gross_ceiling: str | None = None

    def parameter_names(self) -> tuple[str, ...]:
        names: list[str] = []
        for c in (*self.employer, *self.employee):
            names.extend(c.parameter_names())
        if self.withholding:
            names.extend(self.withholding.parameter_names())
        if self.gross_ceiling:
            names.append(self.gross_ceiling)
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class ContractType:
    """A contract a member may sign in one country.

    ``unit``: ``day`` (one contract per working day), ``month`` (a monthly pay period) or
    ``assignment`` (a fixed-term contract for one assignment). ``max_duration_days`` /
    ``max_duration_months`` limit one contract (None: no limit). ``min_hours_per_day`` is
    the shortest working time the law allows per day worked. ``salaried`` is False for a
    contract that pays no salary (France's CAPE). ``scheme`` names the module's scheme.
    """

    code: str
    label: str
    unit: str
    scheme: str = "default"
    salaried: bool = True
    max_duration_days: int | None = None
    max_duration_months: int | None = None
    min_hours_per_day: Decimal | None = None
    source: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProtectionRule:
    """The country's rule for when a worker is protected (social insurance, unemployment).

    ``kind``: ``monthly_threshold`` (gross of each month at or above ``threshold`` for at
    least ``min_run`` consecutive months — Germany), ``hours_over_period`` (at least
    ``required_hours`` worked over the last ``reference_months`` months — France's
    intermittents du spectacle) or ``none`` (no monthly protection rule: protection follows
    from being employed at all). Parameter names refer to the pack's data file.
    """

    kind: str
    description: str
    threshold: str | None = None
    min_run: str | None = None
    required_hours: str | None = None
    reference_months: str | None = None
    parameters: tuple[str, ...] = field(default=())

    def parameter_names(self) -> tuple[str, ...]:
        names = (self.threshold, self.min_run, self.required_hours, self.reference_months)
        return tuple(n for n in (*names, *self.parameters) if n)


NO_PROTECTION_RULE = "none"
MONTHLY_THRESHOLD = "monthly_threshold"
HOURS_OVER_PERIOD = "hours_over_period"


def parameters_of(
    schemes: dict[str, Scheme], protection: ProtectionRule, extra: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The names a country module uses: its schemes', its protection rule's and ``extra``
    (minimum wage, hours...). Modules assign this to ``PARAMETERS`` so the loader can check
    the data file provides every one."""
    names: list[str] = []
    for scheme in schemes.values():
        names.extend(scheme.parameter_names())
    names.extend(protection.parameter_names())
    names.extend(extra)
    return tuple(dict.fromkeys(names))
