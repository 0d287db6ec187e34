"""Malformed requests to every labour-law endpoint answer a 4xx with a message, never a 500."""

from __future__ import annotations

import pytest

ENDPOINTS = [
    "/api/v1/salary-simulations/",
    "/api/v1/income-plans/",
    "/api/v1/contracts/",
    "/api/v1/contracts/proposals/",
    "/api/v1/labour-law/partner-parameters/",
]
BODIES = [
    [],
    ["amount"],
    "3000.00",
    {"amount": True, "period_start": "2025-03-01", "period_end": "2025-03-31"},
    {"amount": {"x": 1}, "period_start": "2025-03-01", "period_end": "2025-03-31"},
    {"activity": 10**30, "contract_type": "employment"},
    {"activity": -1},
    {"start_month": "2025-01", "incomes": [None]},
    {"start_month": "2025-01", "incomes": [["1"]]},
    {"name": "income_tax_rate", "value": "1e999999", "effective_from": "2025-01-01"},
]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("body", BODIES)
def test_malformed_bodies_are_refused_with_a_message(partner_a, api, make_user, url, body):
    client = api(partner_a, make_user(partner_a, "admin"))
    response = client.post(url, body, format="json")
    assert response.status_code == 400, (response.status_code, response.content)
    assert response.json()["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/salary-simulations/99999999999999999999/",
        "/api/v1/salary-simulations/abc/reproduce/",
        "/api/v1/income-plans/0/",
        "/api/v1/contracts/-1/",
        "/api/v1/labour-law/partner-parameters/x/",
    ],
)
def test_unknown_records_are_404(partner_a, api, make_user, url):
    response = api(partner_a, make_user(partner_a, "admin")).get(url)
    assert response.status_code == 404


def test_a_body_that_is_not_json_is_a_400(partner_a, api, make_user):
    client = api(partner_a, make_user(partner_a, "admin"))
    response = client.post(
        "/api/v1/salary-simulations/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query", ["", "?on=", "?on=20250301", "?on=2025-3-1", "?on=2025-02-30", "?on=1900-01-01"]
)
def test_the_parameters_date_must_be_an_iso_date_in_the_packs_range(
    partner_a, api, make_user, query
):
    client = api(partner_a, make_user(partner_a, "member"))
    response = client.get(f"/api/v1/labour-law/parameters/{query}")
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["on"]
