"""labour-law/ over HTTP: figures rounded for display, completeness of the parameters on a
date, and refusals in the member's language naming contract types by their label."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from common.money import Money
from tenants.labour_law.contracts import propose_contracts
from tenants.labour_law.packs import get_pack
from tests.helpers import translated


def _decimals(value: str) -> int:
    return -Decimal(value).as_tuple().exponent


def test_hourly_minimum_wage_is_shown_to_the_currencys_digits(partner_a, api, people):
    # Given a German partner, whose hourly minimum wage is computed with full precision
    client = api(partner_a, people["ann_user"])
    # When the parameters and the proposals of a day are asked for
    params = client.get("/api/v1/labour-law/parameters/?on=2025-03-01").json()
    proposals = client.post(
        "/api/v1/contracts/proposals/",
        {"activity": people["ann_activity"].pk, "start": "2025-03-01"},
        format="json",
    ).json()["proposals"]
    # Then the minimum wage and the hours payable come rounded (money: 2 digits in EUR)
    assert _decimals(params["hourly_minimum_wage"]) == 2
    for proposal in proposals:
        assert _decimals(proposal["hourly_minimum_wage"]) == 2
        if proposal["hours_payable"] is not None:
            assert _decimals(proposal["hours_payable"]) == 2


def test_contribution_bases_are_shown_to_the_currencys_digits(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    proposals = client.post(
        "/api/v1/contracts/proposals/",
        {"activity": people["ann_activity"].pk, "start": "2025-03-01"},
        format="json",
    ).json()["proposals"]
    lines = [line for p in proposals if p["simulation"] for line in p["simulation"]["lines"]]
    assert lines
    assert all(_decimals(line["base"]) <= 2 for line in lines), [line["base"] for line in lines]


def test_parameters_are_incomplete_on_a_date_before_the_packs_values(partner_a, api, people):
    # Given a German partner whose pack has no values in 1990
    client = api(partner_a, people["ann_user"])
    # When the parameters of 1 January 1990 are asked for
    body = client.get("/api/v1/labour-law/parameters/?on=1990-01-01").json()
    # Then the pack is not complete that day, and the missing parameters are named
    assert body["complete"] is False
    assert "pension_rate" in body["missing"]
    assert "minimum_wage_hourly" in body["missing"]
    # ...as a simulation that day fails for lack of a rule.
    refused = client.post(
        "/api/v1/salary-simulations/",
        {"amount": "2000.00", "period_start": "1990-01-01", "period_end": "1990-01-31"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "rule_not_found"


def test_a_missing_rule_is_explained_in_the_members_language(partner_a, api, people):
    client = api(partner_a, people["ann_user"])
    refused = client.post(
        "/api/v1/salary-simulations/",
        {"amount": "2000.00", "period_start": "2015-01-01", "period_end": "2015-01-31"},
        format="json",
    )
    body = refused.json()
    assert body["code"] == "rule_not_found", body
    assert refused["Content-Language"] == "de"
    assert body["message"].startswith("Kein Wert von"), body["message"]


def test_a_contract_refusal_names_the_contract_type_by_its_translated_label():
    from django.utils import translation

    from tenants.labour_law.labels import translate_reason

    # Given a Belgian daily contract asked for two days
    be = get_pack("be")
    daily = next(
        p
        for p in propose_contracts(
            be,
            balance=Money("500.00", "EUR"),
            on=date(2025, 3, 3),
            end=date(2025, 3, 4),
        )
        if p.contract_type == "daily"
    )
    # When the reason is shown in French
    with translation.override("fr"):
        reason = translate_reason(daily.reasons[0])
    # Then it is the French template, naming the contract by its French label, not its code
    template, params = daily.reasons[0].template, dict(daily.reasons[0].params)
    french = translated("fr", template).format(
        **{**params, "contract": translated("fr", params["contract"])}
    )
    assert reason == french
    assert translated("fr", params["contract"]) in reason
