"""The engine, the planner and the contract rules name the field in error the way every
other refusal does (``extra["fields"]``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from common.errors import ValidationFailed
from common.money import Money
from tenants.labour_law.contracts import propose_contracts
from tenants.labour_law.engine import simulate
from tenants.labour_law.packs import get_pack
from tenants.labour_law.planner import plan_protection

MARCH = {"period_start": date(2025, 3, 1), "period_end": date(2025, 3, 31)}


def _fields(call) -> dict:
    with pytest.raises(ValidationFailed) as refused:
        call()
    return refused.value.extra["fields"]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda de: simulate(de, amount=Money(Decimal("-1"), "EUR"), **MARCH), "amount"),
        (lambda de: simulate(de, amount=Decimal("100"), **MARCH), "amount"),
        (
            lambda de: simulate(
                de, amount=Money(Decimal("100"), "EUR"), fee_rate=Decimal("2"), **MARCH
            ),
            "fee_rate",
        ),
        (
            lambda de: simulate(
                de, amount=Money(Decimal("100"), "EUR"), contract_type="nope", **MARCH
            ),
            "contract_type",
        ),
        (
            lambda de: simulate(
                de,
                amount=Money(Decimal("100"), "EUR"),
                period_start=date(2025, 3, 31),
                period_end=date(2025, 3, 1),
            ),
            "period_end",
        ),
        (
            lambda de: simulate(
                de,
                amount=Money(Decimal("100"), "EUR"),
                period_start="2025-03-01",
                period_end=date(2025, 3, 31),
            ),
            "period_start",
        ),
        (
            lambda de: plan_protection(
                de, start=date(2025, 1, 1), incomes=[Money(Decimal("600"), "EUR")], leftover="x"
            ),
            "leftover",
        ),
        (
            lambda de: plan_protection(
                de,
                start=date(2025, 1, 1),
                incomes=[Money(Decimal("600"), "EUR")],
                min_consecutive_months=0,
            ),
            "min_consecutive_months",
        ),
        (lambda de: plan_protection(de, start=date(2025, 1, 1), incomes=[]), "incomes"),
        (
            lambda de: propose_contracts(
                de, balance=Money(Decimal("-1"), "EUR"), on=date(2025, 3, 1)
            ),
            "balance",
        ),
        (
            lambda de: propose_contracts(
                de, balance=Money(Decimal("900"), "EUR"), on=date(2025, 3, 1), hours_wanted=0
            ),
            "hours_wanted",
        ),
    ],
)
def test_a_refusal_names_its_field_under_extra_fields(call, field):
    fields = _fields(lambda: call(get_pack("de")))
    assert list(fields) == [field]
    assert all(isinstance(message, str) and message for message in fields[field])
