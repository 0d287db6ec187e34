"""Statistical disclosure control of a partner's monthly figures, inside its schema.

A figure that describes members' pay or work is a *personal cell*: it knows the value each
contributing member brings (``Cell.contributions``, one per member, never stored or sent
anywhere). Before the figures leave the schema, a personal cell is suppressed when

- **frequency rule**: fewer than ``min_contributors`` members contribute to it (zero
  contributors is an empty cell and is published: it reveals no one's value), or
- **dominance rule** (amounts only, not counts): the largest contribution is more than
  ``dominance_max`` of the cell, measured on absolute values
  (``max |c| > dominance_max × Σ |c|``), so a refund cannot hide a dominant member;

and **secondary suppression** then protects these cells from recomputation inside each
additive group (``Group``: a total equal to the sum of its parts). With one equation per
group, a suppressed cell can be recomputed exactly when it is the group's only unknown;
so every group ends with zero or at least two suppressed cells. The complement chosen is
the smallest published personal part whose absolute value is at least that of the largest
suppressed cell (so the sum a reader can form hides the sensitive value within a range at
least its own size), else the largest published personal part, else the total when it is
personal. A total that is not personal (the partner's own accounting, e.g. turnover) is
never suppressed; a group whose only part is suppressed under such a total discloses no
more than that total (the part *is* the total), and is left so.

These are the frequency and dominance (n = 1, k = 85 %) rules of statistical offices
(τ-Argus, sdcTable, GaussSuppression), in their simplest form: groups do not share cells
in Essaim's figures, so the single-equation argument above is exact. Thresholds are dated
charter parameters: ``suppression_rules`` is the one place that reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

FREQUENCY = "frequency"
DOMINANCE = "dominance"
SECONDARY = "secondary"

DEFAULT_MIN_CONTRIBUTORS = 3
DEFAULT_DOMINANCE_MAX = Decimal("0.85")


@dataclass(frozen=True, slots=True)
class SuppressionRules:
    """``min_contributors``: the fewest members a personal cell may describe (3);
    ``dominance_max``: the largest share (0–1) one member may hold of an amount (0.85)."""

    min_contributors: int = DEFAULT_MIN_CONTRIBUTORS
    dominance_max: Decimal = DEFAULT_DOMINANCE_MAX


def suppression_rules(*, tier: str | None, on: dt.date) -> SuppressionRules:
    """The disclosure thresholds in force for ``tier`` on ``on``: the charter's dated
    ``small_count_min`` and ``dominance_max`` (``shared.charter.selectors.charter_in_force``);
    the federation's defaults (3 members, 85 %) where no charter version is in force (or
    no tier is given)."""
    from shared.charter.exceptions import CharterNotFound
    from shared.charter.selectors import charter_in_force

    if tier is None:
        return SuppressionRules()
    try:
        charter = charter_in_force(tier, on)
    except CharterNotFound:
        return SuppressionRules()
    return SuppressionRules(
        min_contributors=charter.small_count_min, dominance_max=charter.dominance_max
    )


@dataclass(frozen=True, slots=True)
class Cell:
    """One figure and who makes it. ``value``: the figure (a count or an amount);
    ``contributions``: each contributing member's part (non-zero; their sum is ``value``
    for a personal cell); ``personal``: whether the rules apply (the partner's own
    accounting totals are not personal); ``magnitude``: an amount (the dominance rule
    applies) rather than a count of members or activities."""

    value: Decimal | int
    contributions: tuple[Decimal | int, ...] = ()
    personal: bool = True
    magnitude: bool = True


@dataclass(frozen=True, slots=True)
class Group:
    """An additive group: the cell ``total`` equals the sum of the cells ``parts``."""

    total: str
    parts: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True, slots=True)
class Suppression:
    """``reasons``: suppressed cell name → ``frequency``, ``dominance`` or ``secondary``."""

    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        return set(self.reasons)


def primary_reason(cell: Cell, rules: SuppressionRules) -> str | None:
    """Why ``cell`` may not be published on its own (``frequency``, ``dominance``), or
    None. Never a reason for a cell that is not personal or has no contributor."""
    if not cell.personal:
        return None
    contributions = [abs(Decimal(c)) for c in cell.contributions if c]
    if not contributions:
        return None
    if len(contributions) < rules.min_contributors:
        return FREQUENCY
    if cell.magnitude and max(contributions) > rules.dominance_max * sum(contributions):
        return DOMINANCE
    return None


def _complement(cells: Mapping[str, Cell], group: Group, suppressed: set[str]) -> str | None:
    """The cell to suppress so that ``group``'s only unknown cannot be recomputed."""
    candidates = [name for name in group.parts if name not in suppressed and cells[name].personal]
    if candidates:
        needed = max(abs(Decimal(cells[name].value)) for name in group.cells if name in suppressed)
        large_enough = [n for n in candidates if abs(Decimal(cells[n].value)) >= needed]
        if large_enough:
            return min(large_enough, key=lambda n: (abs(Decimal(cells[n].value)), n))
        return max(candidates, key=lambda n: (abs(Decimal(cells[n].value)), n))
    if group.total not in suppressed and cells[group.total].personal:
        return group.total
    return None


def secondary_suppression(
    cells: Mapping[str, Cell], groups: Iterable[Group], suppressed: set[str]
) -> set[str]:
    """The cells to suppress besides ``suppressed`` so that no group has exactly one
    unknown cell (repeated until nothing changes, in case groups share cells)."""
    groups = list(groups)
    done = set(suppressed)
    added: set[str] = set()
    changed = True
    while changed:
        changed = False
        for group in groups:
            unknown = [name for name in group.cells if name in done]
            if len(unknown) != 1:
                continue
            extra = _complement(cells, group, done)
            if extra is not None:
                done.add(extra)
                added.add(extra)
                changed = True
    return added


def suppress(
    cells: Mapping[str, Cell], groups: Iterable[Group], rules: SuppressionRules
) -> Suppression:
    """Primary then secondary suppression of ``cells``; see the module's docstring."""
    reasons = {}
    for name, cell in cells.items():
        reason = primary_reason(cell, rules)
        if reason is not None:
            reasons[name] = reason
    for name in secondary_suppression(cells, groups, set(reasons)):
        reasons[name] = SECONDARY
    return Suppression(dict(sorted(reasons.items())))


__all__ = [
    "Cell",
    "Group",
    "Suppression",
    "SuppressionRules",
    "primary_reason",
    "secondary_suppression",
    "suppress",
    "suppression_rules",
]
