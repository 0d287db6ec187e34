"""The issue's demo story through the API: a German, a Belgian and a Swedish member each see,
in their language and currency, what their turnover becomes, which contracts they can take
and, for the German member, the plan that keeps them protected; every figure traceable to a
dated, sourced parameter.

Run with ``-s`` to print the figures (used in the issue's report).
"""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from tests.conftest import schema_of
from tests.helpers import make_partner
from tests.tenants.members.factories import ActivityFactory, MemberFactory, post


def _say(*parts) -> None:
    """Write a line of the demo's figures (visible with ``pytest -s``)."""
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")


def _member_with_activity(partner, make_user, balance: str, language: str):
    user = make_user(partner, "member", language=language)
    with schema_of(partner):
        member = MemberFactory(user=user)
        activity = ActivityFactory(member=member)
        post(activity, balance)
    return user, activity


def _story(partner, user, activity, api, turnover: str, month: tuple[str, str]):
    client = api(partner, user)
    period = {"period_start": month[0], "period_end": month[1]}
    sim = client.post(
        "/api/v1/salary-simulations/", {"turnover": turnover, **period}, format="json"
    )
    assert sim.status_code == 201, sim.json()
    proposals = client.post(
        "/api/v1/contracts/proposals/",
        {"activity": activity.pk, "start": month[0]},
        format="json",
    )
    assert proposals.status_code == 200, proposals.json()
    params = client.get(f"/api/v1/labour-law/parameters/?on={month[0]}").json()
    return client, sim.json(), proposals.json(), params


def _traceable(sim: dict, params: dict) -> None:
    """Every line names a parameter in force that day, with a source and a start date."""
    by_name = {p["name"]: p for p in params["parameters"]}
    assert params["pack_version"] == sim["pack_version"]
    for line in sim["lines"]:
        name = line["parameter"].split(" × ")[0]
        assert by_name[name]["source"]
        assert by_name[name]["effective_from"] <= sim["as_of"]


def _show(title, sim, proposals):
    _say(f"\n== {title} ({sim['currency']}, {sim['display']['locale']})")
    for key in ("turnover", "fee", "amount", "employer_contributions", "gross"):
        _say(f"  {key:24} {sim[key]:>12}  {sim['display'][key]}")
    for key in ("employee_contributions", "withholding", "net"):
        _say(f"  {key:24} {sim[key]:>12}  {sim['display'][key]}")
    for line in sim["lines"]:
        _say(f"    {line['label']}: {line['parameter']} {line['rate']} → {line['amount']}")
    for p in proposals["proposals"]:
        gross = p["simulation"]["gross"] if p["simulation"] else "-"
        _say(f"  contract {p['contract_type']}: feasible={p['feasible']} gross={gross}")
        for reason in p["reasons"]:
            _say(f"    - {reason}")


def test_a_german_member_sees_pay_contracts_and_a_protection_plan(partner_a, api, make_user):
    user, activity = _member_with_activity(partner_a, make_user, "2790.00", "de")
    client, sim, proposals, params = _story(
        partner_a, user, activity, api, "3000.00", ("2025-03-01", "2025-03-31")
    )
    _show("DE", sim, proposals)
    assert sim["currency"] == "EUR"
    assert sim["display"]["locale"] == "de_DE"
    assert sim["display"]["gross"] == "2.303,88\xa0€"
    assert sim["amount"] == "2790.00"  # 3000.00 turnover − 7 % fee
    _traceable(sim, params)
    assert {p["contract_type"] for p in proposals["proposals"]} == {"employment", "minijob"}
    plan = client.post(
        "/api/v1/income-plans/",
        {
            "start_month": "2025-01",
            "incomes": ["0.00", "0.00", "3000.00", "0.00", "0.00", "0.00", "1500.00", "0.00"],
            "opening_balance": "0.00",
        },
        format="json",
    ).json()
    _say("  plan payouts", plan["payouts"], "protected", plan["protected_months"])
    _say("  threshold", plan["threshold"], "run", plan["min_consecutive_months"])
    for month in plan["detail"]:
        _say("   ", month["month"], month["explanation"])
    assert plan["protected_months"]
    assert plan["threshold_parameter"]["source"]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_belgian_member_sees_pay_and_daily_contracts(db, api, make_user, language):
    partner = make_partner("belgica", country="BE", tier="european_group", name="Belgica")
    user, activity = _member_with_activity(partner, make_user, "400.00", language)
    _client, sim, proposals, params = _story(
        partner, user, activity, api, "3000.00", ("2025-03-01", "2025-03-31")
    )
    _show(f"BE/{language}", sim, proposals)
    assert sim["currency"] == "EUR"
    assert sim["display"]["locale"] == f"{language}_BE"
    assert Decimal(sim["net"]) < Decimal(sim["gross"]) <= Decimal(sim["employer_cost"])
    _traceable(sim, params)
    daily = next(p for p in proposals["proposals"] if p["contract_type"] == "daily")
    assert daily["feasible"] is True
    assert daily["end"] == "2025-03-01"
    assert params["protection_rule"]["kind"] == "none"


def test_a_swedish_member_sees_pay_in_kronor(partner_b, api, make_user):
    user, activity = _member_with_activity(partner_b, make_user, "30000.00", "sv")
    _client, sim, proposals, params = _story(
        partner_b, user, activity, api, "40000.00", ("2025-03-01", "2025-03-31")
    )
    _show("SE", sim, proposals)
    assert sim["currency"] == "SEK"
    assert sim["display"]["locale"] == "sv_SE"
    assert "kr" in sim["display"]["gross"]
    _traceable(sim, params)
    assignment = proposals["proposals"][0]
    assert assignment["contract_type"] == "assignment"
    assert assignment["hourly_minimum_wage"] is None  # no statutory minimum wage in Sweden
    assert assignment["feasible"] is True
