"""income-plans/ over HTTP: the German plan, a country without a monthly rule, recording,
reproduction, scoping, isolation and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tenants.labour_law.models import IncomePlan
from tests.conftest import schema_of

IRREGULAR = ["0.00", "0.00", "3000.00", "0.00", "0.00", "0.00", "2500.00", "0.00"]


def test_a_german_plan_keeps_months_protected_within_the_money(partner_a, api, people):
    # Given a member whose income arrives in two lumps
    client = api(partner_a, people["ann_user"])
    # When she asks for a plan from January 2025
    response = client.post(
        "/api/v1/income-plans/",
        {"start_month": "2025-01", "incomes": IRREGULAR, "opening_balance": "0.00"},
        format="json",
    )
    # Then the payouts never exceed the money available and protected months come in runs
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["applicable"] is True
    assert len(body["payouts"]) == len(IRREGULAR)
    assert body["threshold"] == "556.00"
    assert body["min_consecutive_months"] == 4
    assert body["threshold_parameter"]["name"] == "minijob_limit"
    assert body["threshold_parameter"]["source"].startswith("http")
    available = Decimal(0)
    for income, payout in zip(IRREGULAR, body["payouts"], strict=True):
        available += Decimal(income) - Decimal(payout)
        assert available >= 0
    assert len(body["protected_months"]) >= 4
    assert body["protected_months"][0] >= "2025-03"
    months = {m["month"]: m for m in body["detail"]}
    for month in body["protected_months"]:
        assert months[month]["counted"] is True
        assert Decimal(months[month]["gross"]) >= Decimal("556.00")
        assert months[month]["explanation"]
    assert body["display"]["threshold"].endswith("€")


def test_a_plan_on_an_activity_starts_from_its_balance(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    body = client.post(
        "/api/v1/income-plans/",
        {"start_month": "2025-01", "incomes": ["0.00"] * 6, "activity": people["ann_activity"].pk},
        format="json",
    ).json()
    assert body["inputs"]["opening_balance"] == "5000.00"
    assert len(body["protected_months"]) == 6


def test_a_recorded_plan_is_reproduced(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    plan = client.post(
        "/api/v1/income-plans/", {"start_month": "2024-11", "incomes": IRREGULAR}, format="json"
    ).json()
    report = client.get(f"/api/v1/income-plans/{plan['id']}/reproduce/").json()
    assert report["matches"] is True
    assert report["pack_changed"] is False
    # The plan spans a change of the threshold (538.00 in 2024, 556.00 from 2025).
    assert plan["thresholds"][0] == "538.00"
    assert plan["thresholds"][2] == "556.00"


def test_a_country_without_a_monthly_rule_says_so(partner_b, api, make_user):
    client = api(partner_b, make_user(partner_b, "member"))
    response = client.post(
        "/api/v1/income-plans/", {"start_month": "2025-01", "incomes": IRREGULAR}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["applicable"] is False
    assert body["protection_rule"]["kind"] == "none"
    assert "ingen månatlig skyddsregel" in body["message"]  # the Swedish partner's language
    assert body["payouts"] == []
    assert body["protected_months"] == []
    assert body["threshold"] is None


def test_members_see_only_their_plans_and_other_partners_none(
    partner_a, partner_b, api, make_user, people
):
    ann = api(partner_a, people["ann_user"])
    plan = ann.post(
        "/api/v1/income-plans/", {"start_month": "2025-01", "incomes": IRREGULAR}, format="json"
    ).json()
    bob = api(partner_a, people["bob_user"])
    assert bob.get("/api/v1/income-plans/").json()["count"] == 0
    assert bob.get(f"/api/v1/income-plans/{plan['id']}/").status_code == 404
    assert api(partner_a, people["advisor"]).get("/api/v1/income-plans/").json()["count"] == 1
    other = api(partner_b, make_user(partner_b, "admin"))
    assert other.get("/api/v1/income-plans/").json()["count"] == 0
    assert other.get(f"/api/v1/income-plans/{plan['id']}/").status_code == 404
    assert other.get(f"/api/v1/income-plans/{plan['id']}/reproduce/").status_code == 404
    assert api(partner_a).get("/api/v1/income-plans/").status_code == 401


@pytest.mark.parametrize(
    "payload",
    [
        {"start_month": "2025-13", "incomes": ["1.00"]},
        {"start_month": "2025-1", "incomes": ["1.00"]},
        {"start_month": "2025-01", "incomes": []},
        {"start_month": "2025-01", "incomes": ["1.00"] * 61},
        {"start_month": "2025-01", "incomes": ["-1.00"]},
        {"start_month": "2025-01", "incomes": ["abc"]},
        {"start_month": "2025-01", "incomes": "3000.00"},
        {"start_month": "2025-01", "incomes": ["1.00"], "opening_balance": "-5"},
        {"start_month": "2025-01", "incomes": ["1.00", "2.00"], "hours": ["10"]},
        {"start_month": "2025-01", "incomes": ["100.00"], "hours": ["160"]},
        {"start_month": "1995-01", "incomes": ["100.00"]},
        {"start_month": "2025-01", "incomes": ["1.00"], "min_consecutive_months": 0},
        {"start_month": "2025-01", "incomes": ["1.001"]},
    ],
)
def test_bad_plan_input_is_a_4xx(partner_a, api, people, payload):
    response = api(partner_a, people["ann_user"]).post(
        "/api/v1/income-plans/", payload, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["message"]
    with schema_of(partner_a):
        assert IncomePlan.objects.count() == 0


def test_sixty_months_are_accepted(partner_a, api, people):
    response = api(partner_a, people["ann_user"]).post(
        "/api/v1/income-plans/",
        {"start_month": "2025-01", "incomes": ["900.00"] * 60},
        format="json",
    )
    assert response.status_code == 201
    assert len(response.json()["protected_months"]) == 60
