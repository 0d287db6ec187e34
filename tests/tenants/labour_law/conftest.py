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
