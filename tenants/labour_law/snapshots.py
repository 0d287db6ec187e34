"""Parameter snapshots: the guarantee that a recorded computation can be re-run (pure Python).

A record (simulation, contract, income plan) keeps, next to its result, the parameter
periods it read: ``pack_snapshot(pack, dates)`` returns them as JSON-ready data. Years
later, ``pack_from_snapshot(snapshot)`` rebuilds a ``Pack`` holding exactly those periods,
with the recorded version, so the engine gives the same figures even if the data file has
changed since (OpenFisca's "as of" guarantee without keeping every old data file).

Snapshot shape::

    {"code": "de", "country": "DE", "currency": "EUR", "version": "de-1-3f2a...",
     "module_version": "1", "parameters": [ParameterPeriod.to_dict(), ...]}

The country module (the structure) is not snapshotted: it is versioned by ``VERSION``, and
``snapshot_differences`` says when it has changed.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from common.errors import RulePackInvalid
from tenants.labour_law.packs.loader import (
    PACK_CODES,
    Pack,
    ParameterPeriod,
    _index,
    _parse_entry,
    allowed_units,
)


def pack_snapshot(pack: Pack, dates: Iterable[date]) -> dict[str, Any]:
    """The parameter periods of ``pack`` in force on any of ``dates`` (each period once,
    sorted by name then start), with the pack's code, country, currency and version."""
    seen: dict[tuple[str, date], ParameterPeriod] = {}
    for on in sorted(set(dates)):
        for period in pack.in_force(on):
            seen[(period.name, period.effective_from)] = period
    return {
        "code": pack.code,
        "country": pack.country,
        "currency": pack.currency,
        "version": pack.version,
        "module_version": str(getattr(pack.module, "VERSION", "")),
        "parameters": [seen[key].to_dict() for key in sorted(seen)],
    }


def pack_from_snapshot(snapshot: Mapping[str, Any]) -> Pack:
    """A ``Pack`` holding only the snapshot's parameter periods and carrying its recorded
    ``version``. Raises ``RulePackInvalid`` when the snapshot is malformed (unknown pack,
    bad unit, overlapping periods)."""
    code = str(snapshot.get("code", ""))
    if code not in PACK_CODES:
        raise RulePackInvalid(f"The snapshot names an unknown pack {code!r}.", {"pack": code})
    currency = str(snapshot.get("currency", ""))
    module = importlib.import_module(f"tenants.labour_law.packs.{code}")
    units = allowed_units(currency)
    entries = [_parse_entry(raw, "snapshot", units) for raw in snapshot.get("parameters", [])]
    return Pack(
        code=code,
        country=str(snapshot.get("country", code.upper())),
        currency=currency,
        version=str(snapshot.get("version", "")),
        module=module,
        parameters=_index(entries, "snapshot"),
        source_file="snapshot",
    )


def snapshot_differences(
    recorded: Mapping[str, Any], current: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """What changed between two snapshots of the same dates: one item per parameter whose
    period differs (``{"name", "recorded", "current"}``, each a period dict or None), plus
    ``{"name": "(module)", ...}`` when the country module's version changed."""

    def by_name(snap: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for period in snap.get("parameters", []):
            out.setdefault(period["name"], []).append(dict(period))
        return out

    before, after = by_name(recorded), by_name(current)
    changes = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            changes.append({"name": name, "recorded": before.get(name), "current": after.get(name)})
    if recorded.get("module_version") != current.get("module_version"):
        changes.append(
            {
                "name": "(module)",
                "recorded": recorded.get("module_version"),
                "current": current.get("module_version"),
            }
        )
    return changes
