"""Disclosure control: the frequency and dominance rules, and secondary suppression that
leaves no suppressed cell recomputable from its group's published cells."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tenants.accounting.suppression import (
    DOMINANCE,
    FREQUENCY,
    SECONDARY,
    Cell,
    Group,
    SuppressionRules,
    primary_reason,
    suppress,
)

RULES = SuppressionRules()


def amounts(*values):
    return tuple(Decimal(v) for v in values)


def cell(*values, personal=True, magnitude=True):
    contributions = amounts(*values)
    return Cell(sum(contributions, Decimal(0)), contributions, personal, magnitude)


def test_two_members_are_too_few():
    assert primary_reason(cell("1000", "1500"), RULES) == FREQUENCY


def test_one_member_above_85_percent_dominates():
    assert primary_reason(cell("9000", "500", "500"), RULES) == DOMINANCE


def test_a_refund_does_not_hide_a_dominant_member():
    # 9000 + 600 - 600: the largest member holds 88 % of the absolute contributions.
    assert primary_reason(cell("9000", "600", "-600"), RULES) == DOMINANCE


def test_three_members_without_dominance_are_published():
    assert primary_reason(cell("1000", "1200", "900"), RULES) is None


def test_counts_follow_the_frequency_rule_only():
    assert primary_reason(cell(10, 1, 1, magnitude=False), RULES) is None
    assert primary_reason(cell(1, 1, magnitude=False), RULES) == FREQUENCY


def test_an_empty_cell_and_accounting_totals_are_never_suppressed():
    assert primary_reason(cell(), RULES) is None
    assert primary_reason(cell("5000", personal=False), RULES) is None


def test_the_thresholds_are_the_rules_given():
    strict = SuppressionRules(min_contributors=5, dominance_max=Decimal("0.5"))
    assert primary_reason(cell("1", "1", "1", "1"), strict) == FREQUENCY
    assert primary_reason(cell("6", "1", "1", "1", "1"), strict) == DOMINANCE


def test_a_suppressed_sector_takes_a_complement_under_a_published_total():
    # Given turnover by sector under the partner's (published) turnover
    cells = {
        "turnover": Cell(Decimal("4600"), personal=False),
        "s.62": cell("1000", "900", "1100"),  # published alone
        "s.74": cell("500"),  # one member
        "s.90": cell("400", "300", "400"),  # 1100
        "s.86": cell("200", "300", "200"),  # 700: the smallest part of at least 500
    }
    groups = [Group("turnover", ("s.62", "s.74", "s.90", "s.86"))]

    result = suppress(cells, groups, RULES)

    assert result.reasons == {"s.74": FREQUENCY, "s.86": SECONDARY}


def test_a_suppressed_personal_total_is_not_left_to_the_sum_of_its_parts():
    cells = {
        "activities": cell(1, 1, 1, 1, magnitude=False),
        "a.62": cell(1, 1, 1, magnitude=False),
        "a.74": cell(1, magnitude=False),
    }
    # With 4 members the total is published, a.74 (1 member) is not, nor its complement.
    result = suppress(cells, [Group("activities", ("a.62", "a.74"))], RULES)
    assert result.names == {"a.74", "a.62"}

    two = {"salary": cell("3000", "100"), "c.x": cell("3000"), "c.y": cell("100")}
    assert suppress(two, [Group("salary", ("c.x", "c.y"))], RULES).names == {
        "salary",
        "c.x",
        "c.y",
    }


def test_nothing_is_suppressed_when_every_cell_is_safe():
    cells = {
        "t": cell("3", "3", "3", "3", "3", "3"),
        "p": cell("3", "3", "3"),
        "q": cell("3", "3", "3"),
    }
    assert suppress(cells, [Group("t", ("p", "q"))], RULES).reasons == {}


# --------------------------------------------------------------------------- properties

contribution = st.decimals(min_value=-500, max_value=5000, places=2, allow_nan=False).filter(
    lambda d: d != 0
)
part_contributions = st.lists(contribution, min_size=0, max_size=6)


@st.composite
def groups_of_cells(draw):
    """A group of 1–6 personal parts under a total that is the partner's (not personal)
    or personal (its contributions are all the parts' members)."""
    parts = draw(st.lists(part_contributions, min_size=1, max_size=6))
    magnitude = draw(st.booleans())
    if not magnitude:
        parts = [[abs(int(c)) or 1 for c in p] for p in parts]
    cells = {
        f"p{i}": Cell(sum(p, Decimal(0)), tuple(p), True, magnitude) for i, p in enumerate(parts)
    }
    everyone = [c for p in parts for c in p]
    total_personal = draw(st.booleans())
    cells["total"] = Cell(
        sum(everyone, Decimal(0)),
        tuple(everyone) if total_personal else (),
        total_personal,
        magnitude,
    )
    return cells, Group("total", tuple(f"p{i}" for i in range(len(parts))))


def recomputable(cells, group, suppressed):
    """Suppressed cells a reader can recompute by subtraction: the group's only unknown
    (its value is then the total minus the published parts, or their sum)."""
    unknown = [name for name in group.cells if name in suppressed]
    return set(unknown) if len(unknown) == 1 else set()


@given(groups_of_cells())
def test_no_suppressed_cell_can_be_recomputed_from_its_group(drawn):
    cells, group = drawn
    suppressed = suppress(cells, [group], RULES).names

    exposed = recomputable(cells, group, suppressed)

    # The only exception: a single part under a total that is the partner's own figure,
    # where the part discloses nothing the total does not (it is the total).
    if exposed:
        assert not cells["total"].personal
        assert group.parts == tuple(exposed)


@given(groups_of_cells())
def test_unsafe_cells_are_suppressed_and_only_personal_ones(drawn):
    cells, group = drawn
    result = suppress(cells, [group], RULES)

    for name, one in cells.items():
        if primary_reason(one, RULES) is not None:
            assert result.reasons[name] in (FREQUENCY, DOMINANCE)
        if name in result.reasons:
            assert one.personal


@given(groups_of_cells())
def test_published_cells_pass_both_rules(drawn):
    cells, group = drawn
    suppressed = suppress(cells, [group], RULES).names

    for name in set(cells) - suppressed:
        assert primary_reason(cells[name], RULES) is None
