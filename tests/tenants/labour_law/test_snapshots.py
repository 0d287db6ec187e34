"""Parameter snapshots and the catalogue of pack texts (pure: no database)."""

from __future__ import annotations

import importlib
import json
from datetime import date

import pytest

from common.errors import RulePackInvalid
from common.money import Money
from tenants.labour_law.contracts import Reason, propose_contracts
from tenants.labour_law.engine import simulate
from tenants.labour_law.packs import PACK_CODES
from tenants.labour_law.planner import plan_protection
from tenants.labour_law.snapshots import pack_from_snapshot, pack_snapshot, snapshot_differences


@pytest.mark.parametrize("code", ["be", "fr", "de", "it", "es", "at", "se"])
def test_a_snapshot_reproduces_a_simulation_exactly(code):
    from tenants.labour_law.packs import get_pack

    pack = get_pack(code)
    start, end = date(2025, 3, 1), date(2025, 3, 31)
    original = simulate(
        pack, amount=Money("3000.00", pack.currency), period_start=start, period_end=end
    )
    snapshot = json.loads(json.dumps(pack_snapshot(pack, [start])))
    rebuilt = pack_from_snapshot(snapshot)
    again = simulate(
        rebuilt, amount=Money("3000.00", pack.currency), period_start=start, period_end=end
    )
    assert again.to_dict() == original.to_dict()
    assert rebuilt.version == pack.version


def test_a_snapshot_over_months_reproduces_a_plan_across_a_change(de):
    start = date(2024, 11, 1)
    incomes = [Money(v, "EUR") for v in ("0", "3000", "0", "0", "0", "2000")]
    original = plan_protection(de, start=start, incomes=incomes)
    months = [date(2024, 11, 1), date(2024, 12, 1)] + [date(2025, m, 1) for m in range(1, 5)]
    rebuilt = pack_from_snapshot(pack_snapshot(de, months))
    assert plan_protection(rebuilt, start=start, incomes=incomes) == original


def test_differences_name_the_changed_parameter(de):
    recorded = pack_snapshot(de, [date(2025, 3, 1)])
    current = json.loads(json.dumps(recorded))
    next(p for p in current["parameters"] if p["name"] == "care_rate")["value"] = "0.04"
    assert [c["name"] for c in snapshot_differences(recorded, current)] == ["care_rate"]
    assert snapshot_differences(recorded, recorded) == []


def test_a_malformed_snapshot_is_refused():
    with pytest.raises(RulePackInvalid):
        pack_from_snapshot({"code": "xx", "currency": "EUR", "parameters": []})
    bad = {
        "code": "de",
        "currency": "EUR",
        "parameters": [
            {
                "name": "x",
                "value": "1",
                "unit": "furlongs",
                "effective_from": "2025-01-01",
                "source": "s",
            },
        ],
    }
    with pytest.raises(RulePackInvalid):
        pack_from_snapshot(bad)


def _pack_texts(module):
    for scheme in module.SCHEMES.values():
        for c in (*scheme.employer, *scheme.employee):
            yield c.label
        if scheme.withholding:
            yield scheme.withholding.label
    for ct in module.CONTRACT_TYPES:
        yield ct.label
        if ct.note:
            yield ct.note
    yield module.PROTECTION.description


def test_every_pack_text_is_listed_for_translation():
    # labels.py imports Django's gettext_noop only, which needs no settings.
    labels = importlib.import_module("tenants.labour_law.labels")
    listed = set(labels.PACK_TEXTS)
    for code in PACK_CODES:
        module = importlib.import_module(f"tenants.labour_law.packs.{code}")
        missing = [t for t in _pack_texts(module) if t not in listed]
        assert not missing, f"add to labels.PACK_TEXTS: {missing}"


def test_every_reason_template_is_listed_for_translation(be):
    labels = importlib.import_module("tenants.labour_law.labels")
    proposals = propose_contracts(
        be,
        balance=Money("50.00", "EUR"),
        on=date(2025, 3, 3),
        end=date(2025, 3, 5),
        hours_wanted="2",
    )
    reasons = [r for p in proposals for r in p.reasons]
    assert reasons
    assert all(isinstance(r, Reason) for r in reasons)
    assert {r.template for r in reasons} <= set(labels.REASON_TEMPLATES)
