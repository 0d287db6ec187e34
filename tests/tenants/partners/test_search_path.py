"""The backend (``tenants.partners.db``) skips a ``SET search_path`` the session already
has, and never trusts a path a rollback may have undone: every query runs in the schema
that was selected, whatever came before on the same connection."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def _current_schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def _sets(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].upper().startswith("SET SEARCH_PATH")]


@pytest.fixture
def two_schemas(django_db_setup, django_db_blocker):
    """Partners alpha and beta, on a connection outside any test transaction, so that a
    rollback is a real ROLLBACK."""
    from tenants.partners.models import Partner

    with django_db_blocker.unblock():
        alpha = Partner.objects.get(slug="alpha")
        beta = Partner.objects.get(slug="beta")
        yield alpha, beta
        connection.set_schema_to_public()


def test_selecting_the_same_partner_again_sends_no_set(two_schemas):
    alpha, _beta = two_schemas
    connection.set_tenant(alpha)
    assert _current_schema() == alpha.schema_name

    connection.set_schema_to_public()
    connection.set_tenant(alpha)
    with CaptureQueriesContext(connection) as queries:
        assert _current_schema() == alpha.schema_name

    assert _sets(queries) == []


def test_selecting_another_partner_sets_its_path(two_schemas):
    alpha, beta = two_schemas
    connection.set_tenant(alpha)
    _current_schema()

    connection.set_tenant(beta)
    with CaptureQueriesContext(connection) as queries:
        assert _current_schema() == beta.schema_name

    assert len(_sets(queries)) == 1


def test_a_rolled_back_transaction_cannot_leave_the_previous_partners_path(two_schemas):
    alpha, beta = two_schemas
    connection.set_tenant(alpha)
    _current_schema()

    def switch_then_fail():
        with transaction.atomic():
            connection.set_tenant(beta)
            assert _current_schema() == beta.schema_name
            raise RuntimeError  # PostgreSQL undoes the SET issued in this transaction

    with pytest.raises(RuntimeError):
        switch_then_fail()

    # beta is still the selected tenant: its path must be set again, not assumed.
    assert _current_schema() == beta.schema_name


def test_a_rolled_back_savepoint_cannot_leave_the_previous_partners_path(two_schemas):
    alpha, beta = two_schemas
    with transaction.atomic():
        connection.set_tenant(alpha)
        _current_schema()

        def switch_then_fail():
            with transaction.atomic():
                connection.set_tenant(beta)
                assert _current_schema() == beta.schema_name
                raise RuntimeError  # ROLLBACK TO SAVEPOINT undoes the SET

        with pytest.raises(RuntimeError):
            switch_then_fail()

        assert _current_schema() == beta.schema_name


def test_a_new_session_sets_the_path_again(two_schemas):
    alpha, _beta = two_schemas
    connection.set_tenant(alpha)
    _current_schema()

    connection.close()
    connection.set_tenant(alpha)
    with CaptureQueriesContext(connection) as queries:
        assert _current_schema() == alpha.schema_name

    assert len(_sets(queries)) == 1


def test_consecutive_requests_to_one_host_send_no_set_after_the_first(
    api, partner_a, make_user, settings
):
    # As in production between two revalidations of the host table (which reads public).
    settings.TENANT_ROUTING_REFRESH_SECONDS = 60
    client = api(partner_a, make_user(partner_a, "admin"))
    assert client.get("/api/v1/members/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/members/").status_code == 200

    assert _sets(queries) == []
