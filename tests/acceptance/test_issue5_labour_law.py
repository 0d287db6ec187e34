"""Issue 5, "Labour-law rule packs" — acceptance story, through the HTTP API only.

A German (alpha, DE, EUR), a Belgian (a fresh BE partner, EUR) and a Swedish (beta, SE,
SEK) member each log in on their cooperative's host and see, in their language and
currency, what their turnover becomes (``salary-simulations/``), which contracts they can
take (``contracts/types/``, ``contracts/proposals/``) and, for the German member, the plan
that keeps them protected (``income-plans/``). Every figure is traced back to a dated,
sourced parameter of ``labour-law/parameters/?on=``; a recorded simulation is reproduced.

The simulations use March 2025 (fixed dates: the figures must not depend on the day the
test runs; the rule packs answer "as of" a date).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from django.utils import timezone

from tests.acceptance.conftest import PASSWORD, login, ok
from tests.helpers import make_partner, translated

pytestmark = pytest.mark.django_db

MARCH = {"period_start": "2025-03-01", "period_end": "2025-03-31"}

# What each member should see: language, Babel locale of the figures, currency symbol,
# a label that proves the lines are translated, and a contract type of the country.
COUNTRIES = {
    "DE": {
        "language": "de",
        "locale": "de_DE",
        "currency": "EUR",
        "symbol": "€",
        "label": "Rentenversicherung",
        "contract": "employment",
    },
    "BE": {
        "language": "fr",
        "locale": "fr_BE",
        "currency": "EUR",
        "symbol": "€",
        "label": "ONSS",
        "contract": "daily",
    },
    "SE": {
        "language": "sv",
        "locale": "sv_SE",
        "currency": "SEK",
        "symbol": "kr",
        "label": "Arbetsgivaravgift",
        "contract": "assignment",
    },
}


def D(value) -> Decimal:
    return Decimal(str(value))


def member_with_turnover(partner, make_user, username: str, amount: str):
    """The country team registers and admits a member, opens her activity, invoices a
    client ``amount`` (excluding VAT) and records the payment; the member then logs in.
    Returns (member's client, activity id, member id)."""
    advisor = login(partner, make_user(partner, "advisor").username)
    accountant = login(partner, make_user(partner, "accountant").username)
    member = ok(
        advisor.post(
            "/api/v1/members/", {"first_name": username.title(), "last_name": "M"}, format="json"
        ),
        201,
    )
    ok(advisor.post(f"/api/v1/members/{member['id']}/admit/", {}, format="json"))
    ok(
        advisor.post(
            f"/api/v1/members/{member['id']}/login/",
            {"username": username, "password": PASSWORD},
            format="json",
        ),
        201,
    )
    activity = ok(
        advisor.post(
            "/api/v1/activities/",
            {"member": member["id"], "name": f"{username} studio", "sector": "74"},
            format="json",
        ),
        201,
    )
    client = ok(
        advisor.post(
            "/api/v1/clients/",
            {"name": "Client", "country": partner.country, "kind": "person"},
            format="json",
        ),
        201,
    )
    invoice = ok(
        advisor.post(
            "/api/v1/invoices/",
            {
                "activity": activity["id"],
                "client": client["id"],
                "lines": [{"description": "Work", "quantity": "1", "unit_price": amount}],
            },
            format="json",
        ),
        201,
    )
    invoice = ok(advisor.post(f"/api/v1/invoices/{invoice['id']}/issue/", {}, format="json"))
    ok(
        accountant.post(
            f"/api/v1/invoices/{invoice['id']}/payments/",
            {"amount": invoice["total_incl_vat"], "date": timezone.localdate().isoformat()},
            format="json",
        ),
        201,
    )
    return login(partner, username), activity["id"], member["id"]


def parameter_names(expression: str | None) -> list[str]:
    """``"pension_rate × 0.5"`` → ``["pension_rate"]``: the parameter names a line cites."""
    if not expression:
        return []
    return re.findall(r"[a-z][a-z0-9_]*", expression)


def assert_traceable(sim: dict, in_force: dict[str, dict]) -> None:
    """Every line of ``sim`` names parameters that are in force on its ``as_of`` with a
    non-empty source, and its rate is the parameter's value (times the stated factor)."""
    assert sim["lines"], sim
    for line in sim["lines"]:
        names = parameter_names(line["parameter"])
        assert names, line
        for name in names + parameter_names(line.get("ceiling_parameter")):
            assert name in in_force, (name, sorted(in_force))
            assert in_force[name]["source"].strip(), name
            assert in_force[name]["effective_from"] <= sim["as_of"], name
            until = in_force[name]["effective_until"]
            assert until is None or until >= sim["as_of"], name
        factor = re.search(r"×\s*([0-9.]+)", line["parameter"])
        value = D(in_force[names[0]]["value"])
        expected = value * D(factor.group(1)) if factor else value
        assert D(line["rate"]) == expected, line
        # The parameters recorded with the simulation are the ones in force.
        recorded = {p["name"]: p for p in sim["parameters"]}
        assert recorded[names[0]]["value"] == in_force[names[0]]["value"]
        assert recorded[names[0]]["source"] == in_force[names[0]]["source"]


def assert_adds_up(sim: dict) -> None:
    """employer cost = gross + employer contributions; net = gross − employee
    contributions − withholding; each total is the sum of its lines."""
    by_kind: dict[str, Decimal] = {}
    for line in sim["lines"]:
        by_kind[line["kind"]] = by_kind.get(line["kind"], D(0)) + D(line["amount"])
    assert D(sim["employer_contributions"]) == by_kind.get("employer", D(0))
    assert D(sim["employee_contributions"]) == by_kind.get("employee", D(0))
    assert D(sim["withholding"]) == by_kind.get("withholding", D(0))
    assert D(sim["gross"]) + D(sim["employer_contributions"]) == D(sim["employer_cost"])
    assert D(sim["net"]) == (
        D(sim["gross"]) - D(sim["employee_contributions"]) - D(sim["withholding"])
    )
    assert D(0) < D(sim["net"]) <= D(sim["gross"]) <= D(sim["employer_cost"])


@pytest.fixture
def belgian_partner(db):
    return make_partner("bel", country="BE", tier="open_smart", name="Bel SCRL")


@pytest.fixture
def members(partner_a, partner_b, belgian_partner, make_user):
    """{country: (partner, member's client, activity id, member id)}."""
    out = {}
    for partner, name, amount in (
        (partner_a, "greta", "8000.00"),
        (belgian_partner, "lucie", "8000.00"),
        (partner_b, "sven", "80000.00"),
    ):
        out[partner.country] = (partner, *member_with_turnover(partner, make_user, name, amount))
    return out


@pytest.mark.parametrize("country", ["DE", "BE", "SE"])
def test_a_member_sees_what_her_turnover_becomes_in_her_language_and_currency(members, country):
    partner, member, activity, _member_id = members[country]
    expect = COUNTRIES[country]

    # Given: the parameters of her country's pack in force on 15 March 2025.
    response = member.get("/api/v1/labour-law/parameters/?on=2025-03-15")
    params = ok(response)
    assert params["complete"] is True
    assert params["country"] == country
    assert params["currency"] == expect["currency"]
    assert params["pack_version"]
    for p in params["parameters"]:
        assert p["source"].strip(), p
        assert p["effective_from"] <= "2025-03-15"
    # The pack parameters in force on the simulation's as_of date (1 March).
    in_force = {
        p["name"]: p
        for p in ok(member.get("/api/v1/labour-law/parameters/?on=2025-03-01"))["parameters"]
    }

    # When: she simulates a month's salary from 3,000 of her activity's money.
    response = member.post(
        "/api/v1/salary-simulations/",
        {"amount": "3000.00", "activity": activity, **MARCH},
        format="json",
    )
    sim = ok(response, 201)

    # Then: in her language and currency...
    assert response["Content-Language"] == expect["language"]
    assert sim["currency"] == expect["currency"]
    assert sim["display"]["locale"] == expect["locale"]
    assert expect["symbol"] in sim["display"]["net"]
    assert any(expect["label"] in line["label"] for line in sim["lines"]), [
        line["label"] for line in sim["lines"]
    ]
    # ...with the currency's two digits...
    for key in ("gross", "net", "employer_cost", "employer_contributions", "withholding"):
        assert re.fullmatch(r"\d+\.\d{2}", sim[key]), (key, sim[key])
    # ...figures that add up...
    assert sim["amount"] == "3000.00"
    assert sim["employer_cost"] == "3000.00"
    assert_adds_up(sim)
    # ...each one traceable to a dated, sourced parameter in force on as_of.
    assert sim["as_of"] == "2025-03-01"
    assert sim["pack_version"] == params["pack_version"]
    assert_traceable(sim, in_force)

    # And she finds it again in her own list of simulations.
    mine = ok(member.get("/api/v1/salary-simulations/"))
    assert [s["id"] for s in mine["results"]] == [sim["id"]]

    # A recorded simulation is reproduced with the same figures.
    reproduction = ok(member.post(f"/api/v1/salary-simulations/{sim['id']}/reproduce/"))
    assert reproduction["matches"] is True
    assert reproduction["pack_changed"] is False
    for key in ("gross", "net", "employer_cost", "withholding"):
        assert reproduction["reproduced"][key] == sim[key]
        assert reproduction["recorded"][key] == sim[key]


@pytest.mark.parametrize("country", ["DE", "BE", "SE"])
def test_a_member_sees_which_contracts_she_can_take_from_her_balance(members, country):
    partner, member, activity, _member_id = members[country]
    expect = COUNTRIES[country]

    # The contract types her country allows, labelled in her language, with a source.
    response = member.get("/api/v1/contracts/types/")
    types = ok(response)
    assert response["Content-Language"] == expect["language"]
    codes = [t["code"] for t in types["results"]]
    assert expect["contract"] in codes
    for t in types["results"]:
        assert t["source"].strip()
        assert t["label"].strip()

    # When: she asks what her activity's balance allows in March 2025.
    balance = D(ok(member.get(f"/api/v1/activities/{activity}/"))["balance"])
    assert balance > 0
    response = member.post(
        "/api/v1/contracts/proposals/",
        {"activity": activity, "start": "2025-03-01", "end": "2025-03-31"},
        format="json",
    )
    proposals = ok(response)
    # Then: proposals in her currency, within her balance, each a full simulation.
    assert response["Content-Language"] == expect["language"]
    assert proposals["currency"] == expect["currency"]
    assert D(proposals["balance"]) == balance
    assert {p["contract_type"] for p in proposals["proposals"]} <= set(codes)
    feasible = [p for p in proposals["proposals"] if p["feasible"]]
    assert feasible, proposals
    in_force = {
        p["name"]: p
        for p in ok(member.get("/api/v1/labour-law/parameters/?on=2025-03-01"))["parameters"]
    }
    for proposal in feasible:
        sim = proposal["simulation"]
        assert D(sim["employer_cost"]) <= balance
        assert sim["currency"] == expect["currency"]
        assert_adds_up(sim)
        assert_traceable({**sim, "parameters": list(in_force.values())}, in_force)
    for proposal in proposals["proposals"]:
        if not proposal["feasible"]:
            assert proposal["reasons"], proposal

    if country == "BE":
        # Belgium's daily contract: one day at a time (the month is refused, with why).
        daily = next(p for p in proposals["proposals"] if p["contract_type"] == "daily")
        assert daily["feasible"] is False
        assert daily["reasons"]
        one_day = ok(
            member.post(
                "/api/v1/contracts/proposals/",
                {"activity": activity, "start": "2025-03-03", "end": "2025-03-03", "amount": "200"},
                format="json",
            )
        )
        daily = next(p for p in one_day["proposals"] if p["contract_type"] == "daily")
        assert daily["feasible"] is True, daily["reasons"]
        assert daily["simulation"]["employer_cost"] == "200.00"
        assert D(daily["simulation"]["gross"]) >= D(daily["minimum_gross"])

    # Nothing was recorded or debited by asking.
    assert D(ok(member.get(f"/api/v1/activities/{activity}/"))["balance"]) == balance


def test_the_german_member_sees_the_plan_that_keeps_her_protected(members):
    partner, member, activity, _member_id = members["DE"]
    # Given: irregular income — nothing for two months, then 3,000 in March 2025.
    incomes = ["0.00", "0.00", "3000.00", "0.00", "0.00", "0.00"]
    response = member.post(
        "/api/v1/income-plans/",
        {"start_month": "2025-01", "incomes": incomes, "opening_balance": "0.00"},
        format="json",
    )
    plan = ok(response, 201)
    assert response["Content-Language"] == "de"
    assert plan["currency"] == "EUR"
    assert plan["applicable"] is True

    # The threshold and the run length are the dated, sourced parameters in force.
    in_force = {
        p["name"]: p
        for p in ok(member.get(f"/api/v1/labour-law/parameters/?on={plan['as_of']}"))["parameters"]
    }
    threshold = in_force["minijob_limit"]
    assert plan["threshold"] == threshold["value"] == "556.00"
    assert threshold["source"].startswith("https://")
    assert plan["threshold_parameter"]["source"] == threshold["source"]
    run = in_force["protection_min_consecutive_months"]
    assert plan["min_consecutive_months"] == int(run["value"]) == 4
    assert run["source"].strip()

    # Then: the 3,000 are spread over four months at or above the threshold, never
    # paying out money that has not arrived yet.
    payouts = [D(p) for p in plan["payouts"]]
    assert len(payouts) == 6
    assert sum(payouts) <= D("3000.00")
    received = D(0)
    paid = D(0)
    for income, payout in zip(incomes, payouts, strict=True):
        received += D(income)
        paid += payout
        assert paid <= received
    assert plan["protected_months"] == ["2025-03", "2025-04", "2025-05", "2025-06"]
    for month in plan["detail"]:
        if month["month"] in plan["protected_months"]:
            assert D(month["gross"]) >= D(threshold["value"])
            assert month["counted"] is True
            assert month["display"]["threshold"].replace("\xa0", " ") == "556,00 €"
    assert plan["display"]["locale"] == "de_DE"

    # The plan is recorded and reproduced with the same payouts.
    reproduction = ok(member.post(f"/api/v1/income-plans/{plan['id']}/reproduce/"))
    assert reproduction["matches"] is True
    assert reproduction["reproduced"]["payouts"] == plan["payouts"]


def test_the_reverse_simulation_gives_the_turnover_needed_for_a_net(members):
    partner, member, activity, _member_id = members["DE"]
    sim = ok(
        member.post(
            "/api/v1/salary-simulations/", {"target_net": "1500.00", **MARCH}, format="json"
        ),
        201,
    )
    assert sim["net"] == "1500.00"
    assert_adds_up(sim)
    # Forward from the amount found gives the net back (within one cent).
    forward = ok(
        member.post(
            "/api/v1/salary-simulations/", {"amount": sim["amount"], **MARCH}, format="json"
        ),
        201,
    )
    assert abs(D(forward["net"]) - D("1500.00")) <= D("0.01")
    # The turnover needed covers the cooperative's fee at the partner's rate.
    assert D(sim["turnover"]) - D(sim["fee"]) == D(sim["amount"])
    assert D(sim["fee"]) == (D(sim["turnover"]) * D(sim["fee_rate"])).quantize(D("0.01"))


def test_a_member_never_sees_another_members_simulations(members, make_user):
    partner, greta, activity, _member_id = members["DE"]
    sim = ok(
        greta.post("/api/v1/salary-simulations/", {"amount": "2000.00", **MARCH}, format="json"),
        201,
    )
    other, _other_activity, _other_id = member_with_turnover(partner, make_user, "olaf", "100.00")
    assert other.get(f"/api/v1/salary-simulations/{sim['id']}/").status_code == 404
    assert ok(other.get("/api/v1/salary-simulations/"))["count"] == 0
    # Nor can she simulate on Greta's activity.
    refused = other.post(
        "/api/v1/salary-simulations/", {"activity": activity, **MARCH}, format="json"
    )
    assert refused.status_code == 404


def test_the_german_members_plan_explains_each_month_in_german(members):
    partner, member, activity, _member_id = members["DE"]
    plan = ok(
        member.post(
            "/api/v1/income-plans/",
            {"start_month": "2025-01", "incomes": ["0.00", "0.00", "3000.00", "0", "0", "0"]},
            format="json",
        ),
        201,
    )
    month = plan["detail"][2]
    # Observed once: "Pays 750,00 € (gross 619,32 €, at or above the threshold of 556,00 €):
    # this month counts for protection, inside a run of at least 4 months."
    assert month["explanation"] == translated(
        "de",
        "Pays {payout} (gross {gross}, at or above the threshold of {threshold}): this "
        "month counts for protection, inside a run of at least {run} months.",
    ).format(
        payout=format_currency(D(month["payout"]), "EUR", locale="de_DE"),
        gross=format_currency(D(month["gross"]), "EUR", locale="de_DE"),
        threshold=format_currency(D(month["threshold"]), "EUR", locale="de_DE"),
        run=plan["min_consecutive_months"],
    )


def test_the_reproduction_of_a_simulation_is_explained_in_the_members_language(members):
    partner, member, activity, _member_id = members["SE"]
    sim = ok(
        member.post("/api/v1/salary-simulations/", {"amount": "30000.00", **MARCH}, format="json"),
        201,
    )
    response = member.post(f"/api/v1/salary-simulations/{sim['id']}/reproduce/")
    reproduction = ok(response)
    assert response["Content-Language"] == "sv"
    assert reproduction["explanation"] == translated(
        "sv", "Same pack version as when recorded; the figures are reproduced exactly."
    )


def test_accepting_a_proposal_debits_the_activity_through_the_ledger(members):
    partner, member, activity, _member_id = members["DE"]
    balance = D(ok(member.get(f"/api/v1/activities/{activity}/"))["balance"])
    today = timezone.localdate()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    contract = ok(
        member.post(
            "/api/v1/contracts/",
            {
                "activity": activity,
                "contract_type": "employment",
                "start": start.isoformat(),
                "end": end.isoformat(),
                "amount": "2000.00",
            },
            format="json",
        ),
        201,
    )
    assert contract["currency"] == "EUR"
    assert contract["employer_budget"] == "2000.00"
    # The gross is found to the cent: the cost may stay a cent under the budget.
    assert D("1999.98") <= D(contract["employer_cost"]) <= D("2000.00")
    assert contract["ledger_entry"]
    assert_adds_up(contract)
    after = D(ok(member.get(f"/api/v1/activities/{activity}/"))["balance"])
    # The activity pays what the contract really costs the employer.
    assert after == balance - D(contract["employer_cost"])
    ledger = ok(member.get(f"/api/v1/activities/{activity}/ledger/?kind=salary"))
    entries = ledger["results"] if isinstance(ledger, dict) else ledger
    assert [D(e["amount"]) for e in entries] == [-D(contract["employer_cost"])]


def test_a_contract_beyond_the_balance_is_refused_in_the_members_language(members):
    partner, member, activity, _member_id = members["DE"]
    balance = ok(member.get(f"/api/v1/activities/{activity}/"))["balance"]
    response = member.post(
        "/api/v1/contracts/",
        {"activity": activity, "contract_type": "employment", "amount": "100000.00"},
        format="json",
    )
    assert response.status_code == 409
    assert response["Content-Language"] == "de"
    assert response.json()["message"] == translated(
        "de",
        "This contract would use %(amount)s but the activity's balance is "
        "%(balance)s; nothing was changed.",
    ) % {"amount": "100000.00 EUR", "balance": f"{balance} EUR"}
