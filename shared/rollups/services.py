"""Writing the federation's rollups. Called by the tenant-side rollup task with figures
that already passed disclosure control in the partner's schema; this module only checks
their shape and stores them.

Not audited: a rollup row is derived data that the nightly task recomputes and replaces
(``computed_at`` says when, ``checksum`` what); no one decides it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from common.months import month_start
from shared.rollups.exceptions import RollupInvalid
from shared.rollups.models import BREAKDOWNS, NULLABLE_CELLS, PartnerMonthFigures
from tenants.partners.models import Partner

CELLS = tuple(
    f.name
    for f in PartnerMonthFigures._meta.concrete_fields
    if f.name
    not in {
        "id",
        "partner",
        "month",
        "figures_version",
        "currency",
        "suppressed",
        "unavailable",
        "checksum",
        "computed_at",
    }
)
CREATED, UPDATED, UNCHANGED, KEPT_NEWER = "created", "updated", "unchanged", "kept_newer"


@dataclass(frozen=True, slots=True)
class Publishable:
    """A month's figures as they may leave the partner's schema: ``values`` maps every cell
    of ``PartnerMonthFigures`` (``CELLS``) to a Decimal, an int, None, or for a breakdown a
    dict of key → value or None; ``suppressed`` and ``unavailable`` list the cells without
    a value (a breakdown's key as ``"turnover_by_sector.90"``)."""

    figures_version: int
    currency: str
    values: dict
    suppressed: tuple[str, ...]
    unavailable: tuple[str, ...]

    def content(self) -> dict:
        """The canonical JSON-safe content (what ``checksum`` covers)."""
        return {
            "figures_version": self.figures_version,
            "currency": self.currency,
            "values": _jsonable(self.values),
            "suppressed": sorted(self.suppressed),
            "unavailable": sorted(self.unavailable),
        }

    def checksum(self) -> str:
        text = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _missing_cells(values: dict) -> set[str]:
    missing = {name for name in NULLABLE_CELLS if values[name] is None}
    for breakdown in BREAKDOWNS:
        missing |= {f"{breakdown}.{k}" for k, v in values[breakdown].items() if v is None}
    return missing


def _check(figures: Publishable) -> None:
    """Refuse figures that would publish a suppressed cell or show a missing one as a
    value: the row must say, for each cell without a value, why."""
    values = figures.values
    if set(values) != set(CELLS):
        raise RollupInvalid(
            _("The figures must give exactly the rollup's cells."),
            {"cells": sorted(set(values) ^ set(CELLS))},
        )
    listed = set(figures.suppressed) | set(figures.unavailable)
    missing = _missing_cells(values)
    if listed != missing or set(figures.suppressed) & set(figures.unavailable):
        raise RollupInvalid(
            _("Each cell without a value must be listed once as suppressed or unavailable."),
            {"cells": sorted(listed ^ missing)},
        )
    for name in set(CELLS) - set(NULLABLE_CELLS) - set(BREAKDOWNS):
        if values[name] is None:
            raise RollupInvalid(_("This cell always has a value."), {"cells": [name]})


def _stored_values(figures: Publishable) -> dict:
    values = dict(figures.values)
    for breakdown in BREAKDOWNS:
        values[breakdown] = _jsonable(values[breakdown])
    return values


@transaction.atomic
def rollup_store(
    *, partner: Partner, month: dt.date, figures: Publishable, now: dt.datetime
) -> tuple[PartnerMonthFigures, str]:
    """Upsert ``partner``'s row for ``month`` (any day). Returns the row and what
    happened: ``created``, ``updated`` (content or version changed), ``unchanged`` (same
    checksum: the row, its ``computed_at`` included, is left as it was) or ``kept_newer``
    (the stored row has a newer ``figures_version`` than ``figures``: a worker running
    older code never overwrites it). Raises ``RollupInvalid``."""
    _check(figures)
    first = month_start(month)
    checksum = figures.checksum()
    row = (
        PartnerMonthFigures.objects.select_for_update().filter(partner=partner, month=first).first()
    )
    if row is not None:
        if row.figures_version > figures.figures_version:
            return row, KEPT_NEWER
        if row.checksum == checksum:
            return row, UNCHANGED
    fields = {
        "figures_version": figures.figures_version,
        "currency": figures.currency,
        **_stored_values(figures),
        "suppressed": sorted(figures.suppressed),
        "unavailable": sorted(figures.unavailable),
        "checksum": checksum,
        "computed_at": now,
    }
    if row is None:
        row = PartnerMonthFigures.objects.create(partner=partner, month=first, **fields)
        return row, CREATED
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=list(fields))
    return row, UPDATED
