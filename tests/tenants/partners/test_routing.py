"""Host routing: partner hosts, the federation host, and the refusals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tenants.partners.services import partner_archive, partner_reactivate, partner_suspend


def test_partner_host_reaches_partner_schema(api, partner_a, make_user):
    user = make_user(partner_a, "admin", username="anna")
    response = api(partner_a).post(
        "/api/v1/auth/token/",
        {"username": "anna", "password": "a-long-test-password"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["token"]
    assert user.role == "admin"


def test_unknown_host_gets_json_404(client, db):
    response = client.get("/api/v1/partners/", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_host"


def test_unknown_host_outside_api_gets_plain_404(client, db):
    response = client.get("/admin/", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404


def test_suspended_partner_gets_403_and_reactivated_partner_is_served(api, partner_a):
    partner_suspend(partner=partner_a, reason="Unpaid contribution")
    response = api(partner_a).post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "partner_suspended"

    partner_reactivate(partner=partner_a, reason="Paid")
    response = api(partner_a).post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400  # served again: the empty body is refused


def test_archived_partner_gets_410(api, partner_b):
    partner_archive(partner=partner_b, reason="Dormant")
    response = api(partner_b).get("/api/v1/settings/")
    assert response.status_code == 410
    assert response.json()["code"] == "partner_archived"


def test_unknown_api_path_on_partner_host_is_json_404(api, partner_a):
    response = api(partner_a).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@override_settings(TENANT_ROUTING_REFRESH_SECONDS=3600)
def test_warm_routing_costs_no_query_beyond_setting_the_schema(api, partner_a):
    client = api(partner_a)
    client.get("/api/schema/")  # warm the host table
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    statements = [q["sql"] for q in queries.captured_queries]
    assert statements == [], statements  # invalid input never reaches the database


@override_settings(TENANT_ROUTING_REFRESH_SECONDS=3600)
def test_a_warm_request_costs_no_routing_statement(api, partner_a, make_user):
    make_user(partner_a, "admin", username="bob")
    client = api(partner_a)
    client.get("/api/schema/")
    with CaptureQueriesContext(connection) as queries:
        client.post("/api/v1/auth/token/", {"username": "bob", "password": "wrong"}, format="json")
    statements = [q["sql"] for q in queries.captured_queries]
    # The session is already on alpha's path (tests/tenants/partners/test_search_path.py).
    assert not any(s.startswith("SET search_path") for s in statements)
    assert not any("partners_domain" in s or "registryversion" in s for s in statements)


@override_settings(TENANT_ROUTING_REFRESH_SECONDS=3600)
def test_a_warm_request_to_another_partner_sets_its_schema_once(
    api, partner_a, partner_b, make_user
):
    make_user(partner_b, "admin", username="bob")
    # A request that reads alpha's tables leaves the session on alpha's path.
    assert api(partner_a, make_user(partner_a, "admin")).get("/api/v1/members/").status_code == 200
    client = api(partner_b)
    with CaptureQueriesContext(connection) as queries:
        client.post("/api/v1/auth/token/", {"username": "bob", "password": "wrong"}, format="json")
    statements = [q["sql"] for q in queries.captured_queries]
    assert [s for s in statements if s.startswith("SET")] == ['SET search_path = "beta","public"']
    assert statements[0].startswith("SET search_path")


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "localhost:8000"])
def test_federation_host_variants_are_recognised(client, db, host):
    response = client.get("/api/v1/partners/", HTTP_HOST=host)
    assert response.status_code == 401


def test_an_unknown_host_is_refused_in_the_browsers_language(client, db):
    response = client.get(
        "/api/v1/partners/", HTTP_HOST="nobody.localhost", HTTP_ACCEPT_LANGUAGE="de-CH, en;q=0.5"
    )
    assert response.status_code == 404
    assert response["Content-Language"] == "de"
    assert response.json()["message"] == "Unter nobody.localhost wird kein Partner bedient."


@pytest.mark.parametrize(
    ("header", "message"),
    [("de", "Beta ek. för. ist archiviert."), ("", "Beta ek. för. är arkiverad.")],
)
def test_a_closed_partner_is_refused_in_the_browsers_else_the_partners_language(
    api, partner_b, header, message
):
    # partner_b is Swedish.
    partner_archive(partner=partner_b, reason="Dormant")
    response = api(partner_b).get("/api/v1/settings/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 410
    assert response.json()["message"] == message
