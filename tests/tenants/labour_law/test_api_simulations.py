"""salary-simulations/ and labour-law/parameters/ over HTTP: contract fields, recording and
reproduction, reverse simulation, role scoping, isolation and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tenants.labour_law.models import SalarySimulation
from tests.conftest import schema_of
from tests.tenants.labour_law.factories import MARCH_2025

CONTRACT_FIELDS = {
    "gross",
    "net",
    "employer_cost",
    "employer_contributions",
    "employee_contributions",
    "withholding",
    "lines",
    "pack_version",
    "as_of",
}


def test_parameters_on_a_date_list_values_with_their_sources(partner_a, api, people):
    # Given a German partner's member
    client = api(partner_a, people["ann_user"])
    # When they ask which parameters were in force on 1 March 2025
    response = client.get("/api/v1/labour-law/parameters/?on=2025-03-01")
    # Then each parameter has a value, a unit, dates and a source, with the pack's version
    assert response.status_code == 200
    body = response.json()
    assert body["pack"] == "de"
    assert body["pack_version"].startswith("de-")
    assert body["complete"] is True
    limit = next(p for p in body["parameters"] if p["name"] == "minijob_limit")
    assert limit["value"] == "556.00"
    assert limit["unit"] == "EUR/month"
    assert limit["effective_from"] == "2025-01-01"
    assert limit["source"].startswith("http")
    assert body["protection_rule"]["kind"] == "monthly_threshold"


def test_parameters_follow_the_date_asked(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    before = client.get("/api/v1/labour-law/parameters/?on=2024-12-31").json()
    after = client.get("/api/v1/labour-law/parameters/?on=2025-01-01").json()
    value = {b["name"]: b["value"] for b in before["parameters"]}["minijob_limit"]
    assert value == "538.00"
    assert {a["name"]: a["value"] for a in after["parameters"]}["minijob_limit"] == "556.00"


@pytest.mark.parametrize("query", ["", "?on=", "?on=2025-13-01", "?on=yesterday", "?on=0001-01-01"])
def test_parameters_refuse_a_missing_or_bad_date(partner_a, api, people, query):
    response = api(partner_a, people["ann_user"]).get(f"/api/v1/labour-law/parameters/{query}")
    assert response.status_code == 400
    assert "on" in response.json()["extra"]["fields"]


def test_simulation_answers_every_contract_field_and_is_recorded(partner_a, api, people):
    # Given a member
    client = api(partner_a, people["ann_user"])
    # When they simulate 3,000.00 EUR for March 2025
    response = client.post(
        "/api/v1/salary-simulations/", {"amount": "3000.00", **MARCH_2025}, format="json"
    )
    # Then the breakdown holds, each line names its parameter, and it is recorded
    assert response.status_code == 201, response.json()
    body = response.json()
    assert CONTRACT_FIELDS <= set(body)
    assert body["as_of"] == "2025-03-01"
    assert body["currency"] == "EUR"
    gross, net, cost = (Decimal(body[k]) for k in ("gross", "net", "employer_cost"))
    assert net <= gross <= cost <= Decimal("3000.00")
    assert Decimal(body["employer_contributions"]) == cost - gross
    assert all(line["parameter"] and line["rate"] for line in body["lines"])
    # The partner's 7 % fee: the turnover that funds this budget.
    assert body["fee_rate"] == "0.0700"
    assert Decimal(body["turnover"]) - Decimal(body["fee"]) >= Decimal("3000.00")
    assert body["display"]["gross"].endswith("€")
    with schema_of(partner_a):
        assert SalarySimulation.objects.get(pk=body["id"]).pack_version == body["pack_version"]
    again = client.get(f"/api/v1/salary-simulations/{body['id']}/")
    assert again.status_code == 200
    assert again.json()["gross"] == body["gross"]


def test_reverse_simulation_finds_the_budget_for_a_net(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    response = client.post(
        "/api/v1/salary-simulations/", {"target_net": "2000.00", **MARCH_2025}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["mode"] == "target_net"
    assert body["net"] == "2000.00"
    forward = client.post(
        "/api/v1/salary-simulations/", {"amount": body["amount"], **MARCH_2025}, format="json"
    ).json()
    assert forward["net"] == "2000.00"


def test_simulation_from_a_turnover_keeps_the_fee_first(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    body = client.post(
        "/api/v1/salary-simulations/", {"turnover": "1000.00", **MARCH_2025}, format="json"
    ).json()
    assert body["turnover"] == "1000.00"
    assert body["fee"] == "70.00"
    assert body["amount"] == "930.00"


def test_simulation_on_an_activity_uses_its_balance(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    activity = people["ann_activity"].pk
    body = client.post(
        "/api/v1/salary-simulations/", {"activity": activity, **MARCH_2025}, format="json"
    ).json()
    assert body["mode"] == "activity_balance"
    assert body["amount"] == "5000.00"
    assert body["activity"] == activity


def test_a_member_may_not_simulate_on_another_members_activity(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    response = client.post(
        "/api/v1/salary-simulations/",
        {"activity": people["bob_activity"].pk, **MARCH_2025},
        format="json",
    )
    assert response.status_code == 404
    with schema_of(partner_a):
        assert SalarySimulation.objects.count() == 0


def test_a_recorded_simulation_is_reproduced_from_its_parameters(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    body = client.post(
        "/api/v1/salary-simulations/", {"amount": "3000.00", **MARCH_2025}, format="json"
    ).json()
    report = client.get(f"/api/v1/salary-simulations/{body['id']}/reproduce/")
    assert report.status_code == 200
    data = report.json()
    assert data["matches"] is True
    assert data["pack_changed"] is False
    assert data["reproduced"]["gross"] == body["gross"]
    assert data["recorded_pack_version"] == body["pack_version"]


def test_reproduction_survives_a_change_of_the_pack_data(partner_a, api, people):
    # Given a simulation recorded, then the pack's pension rate edited in the data file
    client = api(partner_a, people["ann_user"])
    body = client.post(
        "/api/v1/salary-simulations/", {"amount": "3000.00", **MARCH_2025}, format="json"
    ).json()
    with schema_of(partner_a):
        sim = SalarySimulation.objects.get(pk=body["id"])
        for period in sim.parameters["parameters"]:
            if period["name"] == "pension_rate":
                period["value"] = "0.2"  # what the pack said "back then"
        sim.parameters["version"] = "de-1-older"
        sim.result = _recompute(sim)
        sim.save()
    # When it is reproduced
    data = client.get(f"/api/v1/salary-simulations/{sim.pk}/reproduce/").json()
    # Then the recorded figures come back from the snapshot, and the change is explained
    assert data["matches"] is True
    assert data["pack_changed"] is True
    assert [c["name"] for c in data["changes"]] == ["pension_rate"]
    assert data["current"]["gross"] != data["reproduced"]["gross"]
    assert "geändert" in data["explanation"]  # the German partner's language


def _recompute(sim):
    from tenants.labour_law.recorded import simulation_result
    from tenants.labour_law.snapshots import pack_from_snapshot

    return simulation_result(pack_from_snapshot(sim.parameters), sim.inputs)


def test_members_see_only_their_own_simulations_and_staff_see_all(partner_a, api, people):
    ann = api(partner_a, people["ann_user"])
    bob = api(partner_a, people["bob_user"])
    ann_sim = ann.post(
        "/api/v1/salary-simulations/", {"amount": "1000.00", **MARCH_2025}, format="json"
    ).json()
    bob.post("/api/v1/salary-simulations/", {"amount": "900.00", **MARCH_2025}, format="json")
    assert [r["id"] for r in ann.get("/api/v1/salary-simulations/").json()["results"]] == [
        ann_sim["id"]
    ]
    assert bob.get(f"/api/v1/salary-simulations/{ann_sim['id']}/").status_code == 404
    assert bob.get(f"/api/v1/salary-simulations/{ann_sim['id']}/reproduce/").status_code == 404
    for role in ("admin", "advisor", "accountant"):
        listed = api(partner_a, people[role]).get("/api/v1/salary-simulations/").json()
        assert listed["count"] == 2


def test_another_partner_and_headquarters_cannot_reach_simulations(
    partner_a, partner_b, api, make_user, people
):
    ann = api(partner_a, people["ann_user"])
    sim = ann.post(
        "/api/v1/salary-simulations/", {"amount": "1000.00", **MARCH_2025}, format="json"
    ).json()
    other = api(partner_b, make_user(partner_b, "admin"))
    assert other.get("/api/v1/salary-simulations/").json()["count"] == 0
    assert other.get(f"/api/v1/salary-simulations/{sim['id']}/").status_code == 404
    assert other.get(f"/api/v1/salary-simulations/{sim['id']}/reproduce/").status_code == 404
    hq = make_user(None, "hq_admin")
    # The federation host has no such route at all.
    assert api(None, hq).get("/api/v1/salary-simulations/").status_code == 404
    # An HQ token sent to the partner's host is not a token of that host.
    from rest_framework.authtoken.models import Token

    with schema_of(None):
        key = Token.objects.get_or_create(user=hq)[0].key
    from rest_framework.test import APIClient

    client = APIClient(HTTP_HOST=f"alpha.{_domain()}")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/salary-simulations/").status_code == 401
    assert api(partner_a).get("/api/v1/salary-simulations/").status_code == 401


def _domain():
    from django.conf import settings

    return settings.PLATFORM_DOMAIN


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": "abc"}, "amount"),
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "1e400"}, "amount"),
        ({"amount": "99999999999999"}, "amount"),
        ({"amount": "10.005"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "1000.00", "target_net": "900.00"}, "amount"),
        ({}, "amount"),
        ({"amount": "1000.00", "period_end": "2025-02-01"}, "period_end"),
        ({"amount": "1000.00", "period_end": "2026-03-01"}, "period_end"),
        ({"amount": "1000.00", "period_start": "31/03/2025"}, "period_start"),
        ({"amount": "1000.00", "period_start": "9999-12-31"}, "period_start"),
        ({"amount": "1000.00", "contract_type": "freelance"}, "contract_type"),
        ({"amount": "1000.00", "activity": "x"}, "activity"),
    ],
)
def test_bad_simulation_input_is_a_4xx_naming_the_field(partner_a, api, people, payload, field):
    body = {**MARCH_2025, **payload}
    response = api(partner_a, people["ann_user"]).post(
        "/api/v1/salary-simulations/", body, format="json"
    )
    assert response.status_code == 400, response.content
    data = response.json()
    assert field in str(data["extra"]) or field in data["message"]
    with schema_of(partner_a):
        assert SalarySimulation.objects.count() == 0


def test_a_json_number_is_read_through_its_decimal_text(partner_a, api, people):
    response = api(partner_a, people["ann_user"]).post(
        "/api/v1/salary-simulations/", {"amount": 1000.1, **MARCH_2025}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["amount"] == "1000.10"


def test_a_date_before_the_pack_names_the_missing_parameter(partner_a, api, people):
    response = api(partner_a, people["ann_user"]).post(
        "/api/v1/salary-simulations/",
        {"amount": "1000.00", "period_start": "1995-01-01", "period_end": "1995-01-31"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rule_not_found"
    assert body["extra"]["parameter"]
    assert body["extra"]["date"] == "1995-01-01"


def test_minijob_above_the_limit_is_refused_clearly(partner_a, api, people):
    response = api(partner_a, people["ann_user"]).post(
        "/api/v1/salary-simulations/",
        {"amount": "3000.00", "contract_type": "minijob", **MARCH_2025},
        format="json",
    )
    assert response.status_code == 400
    assert "minijob_limit" in response.json()["message"]
