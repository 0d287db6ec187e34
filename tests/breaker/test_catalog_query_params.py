"""Service catalogues: malformed query parameters are a 400 with the parameter named, never
a 500 (found by the breaker sweep)."""

import pytest

IMPOSSIBLE_DATES = ["2025-02-30", "0000-01-01", "2025-13-01", "2025-00-10"]


@pytest.mark.parametrize("day", IMPOSSIBLE_DATES)
@pytest.mark.parametrize("path", ["/api/v1/services/", "/api/v1/subscriptions/"])
def test_an_impossible_date_on_a_partner_catalogue_list_is_a_400(
    api, partner_a, make_user, path, day
):
    client = api(partner_a, make_user(partner_a, "admin"))

    response = client.get(path, {"on": day})

    assert response.status_code == 400, response.content
    assert "on" in response.json()["extra"]["fields"]


@pytest.mark.parametrize("day", IMPOSSIBLE_DATES)
@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/api/v1/reference-services/", "on"),
        ("/api/v1/tier-requirements/", "on"),
        ("/api/v1/coverage/", "as_of"),
    ],
)
def test_an_impossible_date_on_a_federation_catalogue_list_is_a_400(
    db, api, make_user, path, param, day
):
    client = api(None, make_user(None, "hq_analyst"))

    response = client.get(path, {param: day})

    assert response.status_code == 400, response.content
    assert param in response.json()["extra"]["fields"]


@pytest.mark.parametrize(
    "service", ["abc", "1.5", "' OR 1=1--", "\x00", "😀", "99999999999999999999", "-1"]
)
def test_a_non_numeric_service_filter_on_subscriptions_is_a_400(api, partner_a, make_user, service):
    client = api(partner_a, make_user(partner_a, "advisor"))

    response = client.get("/api/v1/subscriptions/", {"service": service})

    assert response.status_code == 400, response.content
    assert "service" in response.json()["extra"]["fields"]
