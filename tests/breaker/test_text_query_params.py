"""Text query parameters (filters and search) are read by one strict helper, as dates and
ids are (``common.api.params``): a value holding a character the text rule refuses, or a
choice parameter given an unknown value, is a 400 that names the parameter. Before
``text_param``, a NUL in a free-text filter reached PostgreSQL and came back as the
unnamed "A value is out of range or malformed." (the database's DataError)."""

import pytest


def test_an_unknown_invoice_status_is_already_a_400_naming_status(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.get("/api/v1/invoices/", {"status": "bogus"})

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["status"]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        # Choice parameters are parsed by common.api.params.choice_param.
        ("/api/v1/members/", "status"),
        ("/api/v1/activities/", "status"),
        ("/api/v1/expenses/", "status"),
        ("/api/v1/guarantee-fund/movements/", "kind"),
        ("/api/v1/activities/", "sector"),
        ("/api/v1/clients/", "country"),
        ("/api/v1/audit/", "action"),
        ("/api/v1/audit/", "object_id"),
        ("/api/v1/invoices/", "kind"),
        ("/api/v1/services/", "reference_code"),
        ("/api/v1/clients/", "search"),
    ],
)
def test_a_nul_in_a_text_query_parameter_is_a_400_naming_it(api, partner_a, make_user, path, param):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.get(path, {param: "a\x00b"})

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == [param]


@pytest.mark.parametrize("path", ["/api/v1/members/", "/api/v1/activities/", "/api/v1/expenses/"])
def test_an_unknown_status_filter_is_a_400_naming_status(api, partner_a, make_user, path):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.get(path, {"status": "bogus"})

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == ["status"]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/partners/", "tier"),
        ("/api/v1/coverage/", "tier"),
        ("/api/v1/reference-services/", "level"),
        ("/api/v1/tier-requirements/", "tier"),
    ],
)
def test_a_nul_in_a_federation_query_parameter_is_a_400_naming_it(db, api, make_user, path, param):
    client = api(None, make_user(None, "hq_analyst"))

    response = client.get(path, {param: "a\x00b"})

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == [param]


@pytest.mark.parametrize(
    ("path", "param"),
    [("/api/v1/clients/", "search"), ("/api/v1/activities/", "sector")],
)
def test_an_overlong_text_query_parameter_is_a_400_naming_it(
    api, partner_a, make_user, path, param
):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.get(path, {param: "x" * 201})

    assert response.status_code == 400, response.content
    assert list(response.json()["extra"]["fields"]) == [param]


def test_a_search_still_finds_what_it_names(api, partner_a, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))
    client.post("/api/v1/clients/", {"name": "Zorglub SRL", "country": "BE"}, format="json")
    client.post("/api/v1/clients/", {"name": "Other", "country": "BE"}, format="json")

    response = client.get("/api/v1/clients/", {"search": " zorglub "})

    assert response.status_code == 200, response.content
    assert [row["name"] for row in response.json()["results"]] == ["Zorglub SRL"]
