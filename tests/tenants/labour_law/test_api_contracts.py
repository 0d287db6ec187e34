"""contracts/ over HTTP: types per country, proposals from a balance, acceptance debiting the
ledger once, refusal beyond the balance, scoping, isolation and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tenants.labour_law.models import Contract
from tenants.members.models import LedgerEntry
from tests.conftest import schema_of


def _balance(partner, activity) -> Decimal:
    from tenants.members.selectors import activity_balance

    with schema_of(partner):
        return activity_balance(activity=activity).amount


def test_contract_types_are_those_of_the_partners_country(partner_a, partner_b, api, make_user):
    de = api(partner_a, make_user(partner_a, "member")).get("/api/v1/contracts/types/").json()
    se = api(partner_b, make_user(partner_b, "member")).get("/api/v1/contracts/types/").json()
    assert de["pack"] == "de"
    assert {t["code"] for t in de["results"]} == {"employment", "minijob"}
    assert se["pack"] == "se"
    assert [t["code"] for t in se["results"]] == ["assignment"]
    assert se["results"][0]["max_duration_months"] == 12


def test_proposals_respect_the_balance_and_the_minijob_limit(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    response = client.post(
        "/api/v1/contracts/proposals/",
        {"activity": people["ann_activity"].pk, "start": "2025-03-01"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["balance"] == "5000.00"
    proposals = {p["contract_type"]: p for p in body["proposals"]}
    employment = proposals["employment"]
    assert employment["feasible"] is True
    assert Decimal(employment["simulation"]["employer_cost"]) <= Decimal("5000.00")
    assert Decimal(employment["hours_payable"]) > 0
    assert proposals["minijob"]["simulation"]["gross"] == "556.00"


def test_proposals_explain_why_a_contract_is_not_possible(partner_a, api, people):
    client = api(partner_a, people["bob_user"])
    body = client.post(
        "/api/v1/contracts/proposals/",
        {"activity": people["bob_activity"].pk, "start": "2025-03-01", "hours_wanted": "160"},
        format="json",
    ).json()
    employment = next(p for p in body["proposals"] if p["contract_type"] == "employment")
    assert employment["feasible"] is False
    # Bob works for a German partner: the reason is in German, naming the minimum wage.
    assert "Mindestlohn" in employment["reasons"][0]


def test_accepting_a_proposal_debits_the_ledger_once(partner_a, api, people):
    # Given Ann's activity holding 5,000.00 EUR
    client = api(partner_a, people["ann_user"])
    activity = people["ann_activity"]
    # When she accepts a monthly employment using 3,000.00 EUR (client figures ignored)
    response = client.post(
        "/api/v1/contracts/",
        {
            "activity": activity.pk,
            "contract_type": "employment",
            "start": "2025-03-01",
            "amount": "3000.00",
            "gross": "2999.99",
            "employer_cost": "1.00",
        },
        format="json",
    )
    # Then the contract holds the server's figures and one ledger entry debits its cost
    assert response.status_code == 201, response.json()
    body = response.json()
    cost = Decimal(body["employer_cost"])
    assert Decimal("2999.00") <= cost <= Decimal("3000.00")
    assert body["end"] == "2025-03-31"
    with schema_of(partner_a):
        entries = list(LedgerEntry.objects.filter(activity=activity, kind="salary"))
        assert len(entries) == 1
        assert entries[0].amount == -cost
        assert entries[0].idempotency_key == f"contract:{body['id']}"
        assert entries[0].rule["pack"] == "de"
        assert entries[0].rule["version"] == body["pack_version"]
        assert any(p["name"] == "pension_rate" for p in entries[0].rule["parameters"])
        assert Contract.objects.get(pk=body["id"]).ledger_entry_id == entries[0].pk
    assert _balance(partner_a, activity) == Decimal("5000.00") - cost
    assert client.get(f"/api/v1/contracts/{body['id']}/").json()["ledger_entry"] == entries[0].pk


def test_a_contract_larger_than_the_balance_is_refused_and_nothing_changes(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    activity = people["ann_activity"]
    response = client.post(
        "/api/v1/contracts/",
        {
            "activity": activity.pk,
            "contract_type": "employment",
            "start": "2025-03-01",
            "amount": "5000.01",
        },
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "contract_exceeds_balance"
    assert "5000.00" in body["message"]
    with schema_of(partner_a):
        assert Contract.objects.count() == 0
        assert not LedgerEntry.objects.filter(kind="salary").exists()
    assert _balance(partner_a, activity) == Decimal("5000.00")


def test_the_balance_once_spent_cannot_pay_a_second_contract(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    payload = {
        "activity": people["ann_activity"].pk,
        "contract_type": "employment",
        "start": "2025-03-01",
    }
    assert client.post("/api/v1/contracts/", payload, format="json").status_code == 201
    second = client.post("/api/v1/contracts/", payload, format="json")
    assert second.status_code == 409
    with schema_of(partner_a):
        assert Contract.objects.count() == 1


def test_an_infeasible_contract_is_refused_with_its_reasons(partner_a, api, people):
    client = api(partner_a, people["bob_user"])
    response = client.post(
        "/api/v1/contracts/",
        {
            "activity": people["bob_activity"].pk,
            "contract_type": "employment",
            "start": "2025-03-01",
            "hours_wanted": "160",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "contract_not_allowed"
    assert response.json()["extra"]["reasons"]
    with schema_of(partner_a):
        assert Contract.objects.count() == 0


def test_a_stale_proposal_is_refused(partner_a, api, people):
    response = api(partner_a, people["ann_user"]).post(
        "/api/v1/contracts/",
        {
            "activity": people["ann_activity"].pk,
            "contract_type": "employment",
            "start": "2025-03-01",
            "pack_version": "de-0-old",
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "contract_proposal_changed"


def test_members_see_only_their_contracts_and_accountants_cannot_sign(partner_a, api, people):
    ann = api(partner_a, people["ann_user"])
    payload = {
        "activity": people["ann_activity"].pk,
        "contract_type": "employment",
        "start": "2025-03-01",
        "amount": "1000.00",
    }
    contract = ann.post("/api/v1/contracts/", payload, format="json").json()
    bob = api(partner_a, people["bob_user"])
    assert bob.get("/api/v1/contracts/").json()["count"] == 0
    assert bob.get(f"/api/v1/contracts/{contract['id']}/").status_code == 404
    # Bob cannot sign on Ann's activity, nor see its proposals.
    assert bob.post("/api/v1/contracts/", payload, format="json").status_code == 404
    proposals = bob.post(
        "/api/v1/contracts/proposals/", {"activity": people["ann_activity"].pk}, format="json"
    )
    assert proposals.status_code == 404
    accountant = api(partner_a, people["accountant"])
    assert accountant.get("/api/v1/contracts/").json()["count"] == 1
    assert accountant.post("/api/v1/contracts/", payload, format="json").status_code == 403
    advisor = api(partner_a, people["advisor"])
    assert advisor.post("/api/v1/contracts/", payload, format="json").status_code == 201


def test_another_partner_cannot_see_or_use_contracts(partner_a, partner_b, api, make_user, people):
    ann = api(partner_a, people["ann_user"])
    contract = ann.post(
        "/api/v1/contracts/",
        {
            "activity": people["ann_activity"].pk,
            "contract_type": "employment",
            "start": "2025-03-01",
            "amount": "1000.00",
        },
        format="json",
    ).json()
    other = api(partner_b, make_user(partner_b, "admin"))
    assert other.get("/api/v1/contracts/").json()["count"] == 0
    assert other.get(f"/api/v1/contracts/{contract['id']}/").status_code == 404
    response = other.post(
        "/api/v1/contracts/",
        {"activity": people["ann_activity"].pk, "contract_type": "assignment"},
        format="json",
    )
    assert response.status_code == 404
    # The federation host has no such route at all.
    assert api(None, make_user(None, "hq_admin")).get("/api/v1/contracts/").status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"contract_type": "employment", "amount": "-5"},
        {"contract_type": "employment", "amount": "0"},
        {"contract_type": "employment", "amount": "1.001"},
        {"contract_type": "freelance"},
        {"contract_type": "employment", "start": "2025-03-10", "end": "2025-03-01"},
        {"contract_type": "employment", "start": "not a date"},
        {"contract_type": "employment", "hours_wanted": "-3"},
        {"contract_type": "employment", "start": "1980-01-01"},
        {"contract_type": "employment", "start": "1995-01-01"},
        {"contract_type": ""},
    ],
)
def test_bad_contract_input_is_a_4xx_and_changes_nothing(partner_a, api, people, payload):
    response = api(partner_a, people["ann_user"]).post(
        "/api/v1/contracts/", {"activity": people["ann_activity"].pk, **payload}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["message"]
    with schema_of(partner_a):
        assert Contract.objects.count() == 0
        assert not LedgerEntry.objects.filter(kind="salary").exists()
