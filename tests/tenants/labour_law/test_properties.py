"""Properties every pack's simulation keeps, checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import CurrencyMismatch, ValidationFailed
from common.money import Money, minor_unit
from tenants.labour_law.engine import simulate, simulate_for_net
from tenants.labour_law.packs import get_pack

PACKS = ("be", "fr", "de", "it", "es", "at", "se")

cents = st.integers(min_value=0, max_value=5_000_000).map(lambda c: Decimal(c).scaleb(-2))
pack_codes = st.sampled_from(PACKS)
starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 1))
lengths = st.integers(min_value=0, max_value=100)


def _period(start: date, length: int) -> tuple[date, date]:
    return start, start + timedelta(days=length)


@settings(max_examples=300, deadline=None)
@given(code=pack_codes, amount=cents, start=starts, length=lengths)
def test_net_never_exceeds_gross_and_gross_never_exceeds_employer_cost(code, amount, start, length):
    pack = get_pack(code)
    first, last = _period(start, length)
    sim = simulate(pack, amount=Money(amount, pack.currency), period_start=first, period_end=last)
    assert Money.zero(pack.currency) <= sim.net <= sim.gross <= sim.employer_cost
    assert sim.employer_cost <= sim.amount
    assert sim.unallocated.amount <= minor_unit(pack.currency)
    assert sim.employer_cost == sim.gross + sim.employer_contributions
    assert sim.net == sim.gross - sim.employee_contributions - sim.withholding


@settings(max_examples=300, deadline=None)
@given(code=pack_codes, a=cents, b=cents, start=starts, length=lengths)
def test_simulation_is_monotonic_in_the_amount(code, a, b, start, length):
    pack = get_pack(code)
    low, high = sorted((a, b))
    first, last = _period(start, length)

    def run(x):
        return simulate(pack, amount=Money(x, pack.currency), period_start=first, period_end=last)

    s_low, s_high = run(low), run(high)
    assert s_low.gross <= s_high.gross
    assert s_low.net <= s_high.net
    assert s_low.employer_cost <= s_high.employer_cost


@settings(max_examples=300, deadline=None)
@given(code=pack_codes, target=cents, start=starts, length=lengths)
def test_reverse_then_forward_returns_the_target_net(code, target, start, length):
    pack = get_pack(code)
    first, last = _period(start, length)
    reverse = simulate_for_net(
        pack, target_net=Money(target, pack.currency), period_start=first, period_end=last
    )
    forward = simulate(pack, amount=reverse.amount, period_start=first, period_end=last)
    assert abs(forward.net.amount - target) <= minor_unit(pack.currency)
    assert forward.gross == reverse.gross


@settings(max_examples=200, deadline=None)
@given(code=pack_codes, amount=cents, start=starts)
def test_amounts_are_rounded_to_the_currency_minor_unit(code, amount, start):
    pack = get_pack(code)
    sim = simulate(pack, amount=Money(amount, pack.currency), period_start=start, period_end=start)
    q = minor_unit(pack.currency)
    for money in (sim.gross, sim.net, sim.employer_contributions, sim.employee_contributions):
        assert money.amount == money.amount.quantize(q)
    assert sum((line.amount for line in sim.lines if line.kind == "employer"), Decimal(0)) == (
        sim.employer_contributions.amount
    )


@settings(max_examples=100, deadline=None)
@given(target=cents, fee=st.integers(min_value=0, max_value=150).map(lambda p: Decimal(p) / 1000))
def test_turnover_before_fee_funds_the_budget(target, fee):
    pack = get_pack("de")
    sim = simulate_for_net(
        pack,
        target_net=Money(target, "EUR"),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 1, 31),
        fee_rate=fee,
    )
    assert sim.turnover - sim.fee >= sim.amount
    assert sim.fee == Money((sim.turnover.amount * fee).quantize(Decimal("0.01")), "EUR")


def test_simulation_rejects_negative_amount(de):
    with pytest.raises(ValidationFailed, match="must not be negative"):
        simulate(
            de,
            amount=Money("-1.00", "EUR"),
            period_start=date(2025, 1, 1),
            period_end=date(2025, 1, 31),
        )


def test_simulation_rejects_period_end_before_period_start(de):
    with pytest.raises(ValidationFailed, match="before period_start"):
        simulate(
            de,
            amount=Money("100.00", "EUR"),
            period_start=date(2025, 2, 1),
            period_end=date(2025, 1, 31),
        )


def test_simulation_rejects_an_amount_in_another_currency(se):
    with pytest.raises(CurrencyMismatch):
        simulate(
            se,
            amount=Money("100.00", "EUR"),
            period_start=date(2025, 2, 1),
            period_end=date(2025, 2, 28),
        )


def test_simulation_rejects_an_unknown_contract_type(de):
    with pytest.raises(ValidationFailed, match="Unknown contract type 'daily'"):
        simulate(
            de,
            amount=Money("100.00", "EUR"),
            period_start=date(2025, 2, 1),
            period_end=date(2025, 2, 28),
            contract_type="daily",
        )


def test_simulation_rejects_a_fee_rate_given_as_a_percentage(de):
    with pytest.raises(ValidationFailed, match="fee_rate"):
        simulate_for_net(
            de,
            target_net=Money("100.00", "EUR"),
            period_start=date(2025, 2, 1),
            period_end=date(2025, 2, 28),
            fee_rate=Decimal("7"),
        )
