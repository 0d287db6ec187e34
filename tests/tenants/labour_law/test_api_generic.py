"""The generic pack of an Academy partner outside the federation's countries: it refuses to
compute until the partner's admin has set every parameter, then computes with them."""

from __future__ import annotations

import pytest

from common.errors import PartnerRequired
from tenants.labour_law.models import PartnerParameter, SalarySimulation
from tenants.labour_law.selectors import partner_pack
from tests.conftest import schema_of
from tests.helpers import make_partner

US_VALUES = [
    ("employer_contribution_rate", "0.0765", "https://www.irs.gov/taxtopics/tc751"),
    ("employee_contribution_rate", "0.0765", "https://www.irs.gov/taxtopics/tc751"),
    ("income_tax_rate", "0.12", "https://www.irs.gov/pub/irs-pdf/p15t.pdf"),
    ("minimum_wage_hourly", "7.25", "https://www.dol.gov/agencies/whd/minimum-wage"),
]
JANUARY = {"period_start": "2025-01-01", "period_end": "2025-01-31"}


@pytest.fixture
def philly(db, make_user):
    """An Academy cooperative in Philadelphia (US, USD), with an admin and a member."""
    partner = make_partner("philly", country="US", tier="academy", name="Philly Coop")
    return {
        "partner": partner,
        "admin": make_user(partner, "admin"),
        "member": make_user(partner, "member"),
    }


def _set_all(client):
    for name, value, source in US_VALUES:
        response = client.post(
            "/api/v1/labour-law/partner-parameters/",
            {"name": name, "value": value, "effective_from": "2024-01-01", "source": source},
            format="json",
        )
        assert response.status_code == 201, response.json()


def test_the_generic_pack_refuses_to_simulate_until_its_parameters_are_set(philly, api):
    member = api(philly["partner"], philly["member"])
    response = member.post("/api/v1/salary-simulations/", {"amount": "3000", **JANUARY})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "labour_law_pack_not_configured"
    assert "income_tax_rate" in body["message"]
    assert set(body["extra"]["missing"]) == {name for name, _v, _s in US_VALUES}
    with schema_of(philly["partner"]):
        assert SalarySimulation.objects.count() == 0


def test_the_parameters_endpoint_lists_what_is_missing(philly, api):
    admin = api(philly["partner"], philly["admin"])
    admin.post(
        "/api/v1/labour-law/partner-parameters/",
        {"name": "income_tax_rate", "value": "0.12", "effective_from": "2024-01-01", "source": "x"},
        format="json",
    )
    body = admin.get("/api/v1/labour-law/parameters/?on=2025-01-01").json()
    assert body["pack"] == "generic"
    assert body["complete"] is False
    assert "income_tax_rate" not in body["missing"]
    assert "minimum_wage_hourly" in body["missing"]
    assert [p["name"] for p in body["parameters"]] == ["income_tax_rate"]


def test_once_set_the_generic_pack_computes_in_the_partners_currency(philly, api):
    _set_all(api(philly["partner"], philly["admin"]))
    member = api(philly["partner"], philly["member"])
    response = member.post(
        "/api/v1/salary-simulations/", {"amount": "3000.00", **JANUARY}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["currency"] == "USD"
    # gross × 1.0765 <= 3000 → 2786.81; employee 7.65 % → 213.19; tax 12 % × 2573.62 → 308.83.
    assert body["gross"] == "2786.81"
    assert body["employee_contributions"] == "213.19"
    assert body["withholding"] == "308.83"
    assert body["net"] == "2264.79"
    params = member.get("/api/v1/labour-law/parameters/?on=2025-01-01").json()
    assert params["complete"] is True
    assert params["pack_version"] == body["pack_version"]
    assert params["hourly_minimum_wage"] == "7.25"


def test_a_parameter_change_is_a_new_pack_version_and_old_records_still_reproduce(philly, api):
    admin = api(philly["partner"], philly["admin"])
    _set_all(admin)
    first = admin.post(
        "/api/v1/salary-simulations/", {"amount": "3000.00", **JANUARY}, format="json"
    ).json()
    with schema_of(philly["partner"]):
        row = PartnerParameter.objects.get(name="income_tax_rate")
    response = admin.patch(
        f"/api/v1/labour-law/partner-parameters/{row.pk}/", {"value": "0.15"}, format="json"
    )
    assert response.status_code == 200, response.json()
    report = admin.get(f"/api/v1/salary-simulations/{first['id']}/reproduce/").json()
    assert report["matches"] is True
    assert report["pack_changed"] is True
    assert [c["name"] for c in report["changes"]] == ["income_tax_rate"]
    assert report["current"]["withholding"] != first["withholding"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "beer_rate", "value": "0.1"}, "name"),
        ({"name": "income_tax_rate", "value": "1.5"}, "value"),
        ({"name": "income_tax_rate", "value": "-0.1"}, "value"),
        ({"name": "income_tax_rate", "value": "0.1", "unit": "USD/hour"}, "unit"),
        ({"name": "minimum_wage_hourly", "value": "7.25", "unit": "fraction"}, "unit"),
        ({"name": "income_tax_rate", "value": "0.1", "source": ""}, "source"),
        ({"name": "income_tax_rate", "value": "0.1", "effective_until": "2023-01-01"}, "until"),
    ],
)
def test_bad_partner_parameters_are_refused(philly, api, payload, field):
    admin = api(philly["partner"], philly["admin"])
    body = {"effective_from": "2024-01-01", "source": "https://example.org", **payload}
    response = admin.post("/api/v1/labour-law/partner-parameters/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in str(response.json())
    with schema_of(philly["partner"]):
        assert PartnerParameter.objects.count() == 0


def test_overlapping_periods_are_refused(philly, api):
    admin = api(philly["partner"], philly["admin"])
    url = "/api/v1/labour-law/partner-parameters/"
    base = {"name": "income_tax_rate", "value": "0.1", "source": "s"}
    assert (
        admin.post(url, {**base, "effective_from": "2024-01-01"}, format="json").status_code == 201
    )
    again = admin.post(url, {**base, "effective_from": "2024-06-01"}, format="json")
    assert again.status_code == 400
    assert "overlaps" in again.json()["message"]


def test_only_the_admin_writes_partner_parameters(philly, api, make_user):
    url = "/api/v1/labour-law/partner-parameters/"
    body = {
        "name": "income_tax_rate",
        "value": "0.1",
        "effective_from": "2024-01-01",
        "source": "s",
    }
    advisor = api(philly["partner"], make_user(philly["partner"], "advisor"))
    assert advisor.post(url, body, format="json").status_code == 403
    assert advisor.get(url).status_code == 200
    assert api(philly["partner"], philly["member"]).get(url).status_code == 403


def test_country_packs_take_no_partner_parameters(partner_a, api, make_user):
    admin = api(partner_a, make_user(partner_a, "admin"))
    response = admin.post(
        "/api/v1/labour-law/partner-parameters/",
        {"name": "income_tax_rate", "value": "0.1", "effective_from": "2024-01-01", "source": "s"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "partner_parameter_invalid"
    assert "Regelpaket de," in response.json()["message"]  # the German partner's language


def test_the_pack_outside_a_partner_schema_is_refused_as_partner_required(db):
    with schema_of(None), pytest.raises(PartnerRequired):
        partner_pack()
