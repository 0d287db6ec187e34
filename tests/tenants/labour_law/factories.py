"""Fixtures' building blocks for the labour-law API tests (need Django and a schema)."""

from __future__ import annotations

import pytest

from tests.tenants.members.factories import ActivityFactory, MemberFactory, post


@pytest.fixture
def people(partner_a, make_user, in_schema):
    """partner_a (DE, EUR): Ann and Bob, members with a login and an activity each (Ann's
    holds 5,000.00 EUR, Bob's 800.00 EUR), and one user of each staff role."""
    users = {role: make_user(partner_a, role) for role in ("admin", "advisor", "accountant")}
    ann_user = make_user(partner_a, "member", username="ann")
    bob_user = make_user(partner_a, "member", username="bob")
    with in_schema(partner_a):
        ann = MemberFactory(first_name="Ann", last_name="Arbor", user=ann_user)
        bob = MemberFactory(first_name="Bob", last_name="Baker", user=bob_user)
        ann_activity = ActivityFactory(member=ann, name="Ann's studio")
        bob_activity = ActivityFactory(member=bob, name="Bob's bakery")
        post(ann_activity, "5000.00")
        post(bob_activity, "800.00")
    return {
        **users,
        "ann_user": ann_user,
        "bob_user": bob_user,
        "ann_activity": ann_activity,
        "bob_activity": bob_activity,
    }


MARCH_2025 = {"period_start": "2025-03-01", "period_end": "2025-03-31"}
