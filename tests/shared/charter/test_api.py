"""The charter's federation endpoints: hq_admin writes, hq_analyst reads, partner users and
anonymous callers are refused; a version in force answers 409."""

import datetime as dt

import pytest

from shared.charter.selectors import charter_in_force


def test_hq_reads_the_charters_with_the_contract_fields(api, hq_analyst):
    response = api(None, hq_analyst).get("/api/v1/charters/", {"tier": "european_group"})

    assert response.status_code == 200, response.content
    (version,) = response.json()["results"]
    assert version["tier"] == "european_group"
    assert version["effective_from"] == "2000-01-01"
    assert (version["fee_rate_min"], version["fee_rate_max"]) == ("0.0650", "0.0800")
    assert version["in_force"] is True


def test_hq_admin_creates_a_version_and_the_analyst_may_not(api, hq_admin, hq_analyst, future):
    body = {"tier": "open_smart", "effective_from": future.isoformat(), "fee_rate_min": "0.0550"}

    refused = api(None, hq_analyst).post("/api/v1/charters/", body, format="json")
    created = api(None, hq_admin).post("/api/v1/charters/", body, format="json")

    assert refused.status_code == 403
    assert created.status_code == 201, created.content
    assert created.json()["fee_rate_min"] == "0.0550"
    assert created.json()["fee_rate_max"] == "0.1200"  # copied from the version in force
    assert created.json()["in_force"] is False


@pytest.mark.parametrize("method", ["get", "post"])
def test_partner_users_and_anonymous_callers_are_refused_on_the_federation(
    api, make_user, partner_a, method
):
    from rest_framework.test import APIClient

    from tests.conftest import host_of

    on_own_host = api(partner_a, make_user(partner_a, "admin"))
    partner_token = APIClient(HTTP_HOST=host_of(None))
    partner_token.credentials(**on_own_host._credentials)
    for client in (api(None), partner_token):
        response = getattr(client, method)("/api/v1/charters/", {}, format="json")
        assert response.status_code in (401, 403)
        response = client.get("/api/v1/charter-findings/")
        assert response.status_code in (401, 403)


def test_editing_a_version_in_force_answers_409_and_a_future_one_changes(
    api, hq_admin, today, future
):
    client = api(None, hq_admin)
    in_force = charter_in_force("social_franchise", today)

    refused = client.patch(
        f"/api/v1/charters/{in_force.pk}/", {"fee_rate_min": "0.01"}, format="json"
    )
    created = client.post(
        "/api/v1/charters/",
        {"tier": "social_franchise", "effective_from": future.isoformat()},
        format="json",
    ).json()
    changed = client.patch(
        f"/api/v1/charters/{created['id']}/", {"min_hq_board_seats": 2}, format="json"
    )

    assert refused.status_code == 409
    assert refused.json()["code"] == "charter_version_in_force"
    assert changed.status_code == 200, changed.content
    assert changed.json()["min_hq_board_seats"] == 2


def test_the_history_of_a_tier_lists_every_version_and_on_picks_one(api, hq_analyst, new_version):
    new_version("academy", dt.date(2025, 1, 1), fee_rate_max="0.1400")
    client = api(None, hq_analyst)

    history = client.get("/api/v1/charters/", {"tier": "academy"}).json()["results"]
    on = client.get("/api/v1/charters/", {"on": "2024-12-31"}).json()["results"]

    assert [v["effective_from"] for v in history] == ["2025-01-01", "2000-01-01"]
    assert {v["tier"]: v["effective_from"] for v in on}["academy"] == "2000-01-01"
