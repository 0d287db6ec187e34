import pytest

from common.errors import PartnerRequired
from common.tenancy import current_partner, current_partner_or_none


def test_current_partner_is_the_schema_the_connection_is_in(partner_a, partner_b, in_schema):
    with in_schema(partner_a):
        assert current_partner() == partner_a
    with in_schema(partner_b):
        assert current_partner() == partner_b


def test_the_federation_schema_has_no_current_partner(db, in_schema):
    with in_schema(None):
        assert current_partner_or_none() is None
        with pytest.raises(PartnerRequired):
            current_partner()
