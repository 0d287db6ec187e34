import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import host_of, schema_of


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def hq_admin(db, make_user):
    return make_user(None, "hq_admin")


@pytest.fixture
def hq_analyst(db, make_user):
    return make_user(None, "hq_analyst")


@pytest.fixture
def admin_a(partner_a, make_user):
    return make_user(partner_a, "admin")


@pytest.fixture
def admin_b(partner_b, make_user):
    return make_user(partner_b, "admin")


@pytest.fixture
def admin_client():
    """``admin_client(partner_or_None, user)`` → a Django test client logged in on that
    host."""

    def make(partner, user):
        client = Client(HTTP_HOST=host_of(partner))
        with schema_of(partner):
            client.force_login(user)
        return client

    return make


@pytest.fixture
def new_version():
    """``new_version(tier, effective_from, **fields)`` → a charter version written
    straight to the table (a past date included, which the service refuses), copying the
    fields it does not give from the version in force."""
    from shared.charter.models import Charter
    from shared.charter.selectors import charter_in_force
    from shared.charter.services import CHARTER_FIELDS

    def make(tier, effective_from, **fields):
        base = charter_in_force(tier, effective_from)
        values = {
            f: getattr(base, f) for f in CHARTER_FIELDS if f not in ("tier", "effective_from")
        }
        values.update(fields)
        return Charter.objects.create(tier=tier, effective_from=effective_from, **values)

    return make


@pytest.fixture
def future(today):
    return today + dt.timedelta(days=30)
