"""Pure fixtures for the labour-law engine tests: no database, no Django settings."""

from __future__ import annotations

import pytest

from tenants.labour_law.packs import get_pack


@pytest.fixture
def de():
    return get_pack("de")


@pytest.fixture
def be():
    return get_pack("be")


@pytest.fixture
def fr():
    return get_pack("fr")


@pytest.fixture
def it():
    return get_pack("it")


@pytest.fixture
def es():
    return get_pack("es")


@pytest.fixture
def at():
    return get_pack("at")


@pytest.fixture
def se():
    return get_pack("se")


def pytest_ignore_collect(collection_path, config):
    """The API tests need Django and the database; the pure run (``-p no:django``) skips
    them so the engine's tests stay runnable on their own."""
    if collection_path.name.startswith("test_api") and not config.pluginmanager.hasplugin("django"):
        return True
    return None


@pytest.fixture
def people(partner_a, make_user, in_schema):
    """partner_a (DE, EUR): Ann and Bob, members with a login and an activity each (Ann's
    holds 5,000.00 EUR, Bob's 800.00 EUR), and one user of each staff role."""
    from tests.tenants.members.factories import ActivityFactory, MemberFactory, post

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
