"""The benchmarks' shared harness: alternation order, statistics and verdicts (pure
functions), and one benchmark's ``--quick`` run end to end (the only one without a
database, so it takes under a second)."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench import harness

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_earlier_failures(monkeypatch):
    monkeypatch.setattr(harness, "_failures", [])


def test_rounds_alternate_the_order_of_the_sides():
    assert harness.alternated_order(["A", "B"], 4) == list("ABBAABBA")
    assert harness.round_order(["A", "B", "C"], 1) == ("C", "B", "A")


def test_alternate_measures_each_side_once_per_round_in_alternated_order():
    calls = []

    def side(name, value):
        def measure():
            calls.append(name)
            return value + len(calls)

        return measure

    prepared = []
    figures = harness.alternate(
        {"A": side("A", 100), "B": side("B", 200)},
        3,
        unit="ms",
        before_each=prepared.append,
    )

    assert calls == list("ABBAAB")
    assert prepared == calls
    # The figures are each side's own, in round order (A ran 1st, 4th and 5th).
    assert figures == {"A": [101, 104, 105], "B": [202, 203, 206]}


def test_spread_gives_median_extremes_and_range_relative_to_the_median():
    result = harness.spread([12.0, 10.0, 8.0, 30.0])

    assert result.median == 11.0
    assert (result.min, result.max, result.n) == (8.0, 30.0, 4)
    assert result.spread == pytest.approx(2.0)


def test_spread_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no figures"):
        harness.spread([])


def test_ratios_pair_the_sides_round_by_round():
    tenant, plain = [90.0, 180.0, 50.0], [100.0, 200.0, 40.0]

    assert harness.ratios(tenant, plain) == [0.9, 0.9, 1.25]
    result = harness.ratio_spread(tenant, plain)
    assert result.median == 0.9
    assert (result.min, result.max) == (0.9, 1.25)


def test_ratios_refuse_sides_with_different_round_counts():
    with pytest.raises(ValueError, match="rounds"):
        harness.ratios([1.0, 2.0], [1.0])


def test_verdict_passes_and_fails_in_the_targets_unit(capsys):
    assert harness.verdict("throughput", 212.0, unit="invoices/s", at_least=200)
    assert not harness.verdict("latency", 326.6, unit="ms", at_most=300)

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "PASS  throughput: 212.0 invoices/s (target >= 200 invoices/s)"
    assert out[1] == "FAIL  latency: 326.6 ms (target <= 300 ms)"
    assert harness.failures() == [out[1]]


def test_verdict_needs_exactly_one_bound():
    with pytest.raises(ValueError, match="exactly one"):
        harness.verdict("x", 1.0, unit="x", at_least=1, at_most=2)
    with pytest.raises(ValueError, match="exactly one"):
        harness.verdict("x", 1.0, unit="x")


def test_run_exits_non_zero_when_a_verdict_failed():
    def main():
        harness.verdict("speedup", 1.34, unit="x", at_least=1.8)
        return 0

    with pytest.raises(SystemExit) as exit_:
        harness.run(main)
    assert exit_.value.code == 1


def test_run_exits_zero_when_every_verdict_passed():
    def main():
        harness.verdict("speedup", 1.9, unit="x", at_least=1.8)

    with pytest.raises(SystemExit) as exit_:
        harness.run(main)
    assert exit_.value.code == 0


def test_the_labour_law_benchmarks_quick_run_judges_its_targets():
    result = subprocess.run(
        [sys.executable, "bench/labour_law_engine.py", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    verdicts = [line for line in result.stdout.splitlines() if line.startswith("PASS")]
    assert len(verdicts) == 2
    assert "simulations/s (target >= 10000 simulations/s)" in verdicts[0]
    assert "ms (target <= 50 ms)" in verdicts[1]
