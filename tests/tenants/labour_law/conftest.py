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
