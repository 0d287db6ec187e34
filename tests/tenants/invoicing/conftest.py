import pytest


@pytest.fixture
def alpha(partner_a, in_schema):
    """Run the test inside partner_a's schema (Germany, EUR)."""
    with in_schema(partner_a):
        yield partner_a


@pytest.fixture
def beta(partner_b, in_schema):
    """Run the test inside partner_b's schema (Sweden, SEK)."""
    with in_schema(partner_b):
        yield partner_b
