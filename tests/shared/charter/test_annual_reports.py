"""Annual reports: filed by a partner's admin or accountant on its own host, with the
figures the charter asks for; read by its staff and by headquarters; never another
partner's."""

import pytest
from rest_framework.test import APIClient

from tenants.audit.models import AuditEntry
from tests.conftest import host_of

FIGURES = {
    "operating_result": "-15000.50",
    "equity": "42000",
    "staff_fte": "6.5",
    "hq_capital": "100000",
    "hq_current_account": "250000",
    "hq_voting_share": "0.1100",
}


@pytest.fixture
def last_year(today):
    return today.year - 1


def _file(client, year, **figures):
    return client.post(
        "/api/v1/annual-reports/", {"year": year, **(figures or FIGURES)}, format="json"
    )


@pytest.mark.parametrize("role", ["admin", "accountant"])
def test_staff_file_a_report_in_the_partners_currency(
    api, partner_b, make_user, in_schema, last_year, role
):
    response = _file(api(partner_b, make_user(partner_b, role)), last_year)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["partner"] == "beta"
    assert body["currency"] == "SEK"
    assert body["operating_result"] == "-15000.50"
    assert body["hq_voting_share"] == "0.1100"
    assert body["late"] is False
    with in_schema(partner_b):
        assert AuditEntry.objects.filter(action="annual_report.file").exists()


@pytest.mark.parametrize("role", ["advisor", "member"])
def test_other_roles_do_not_file(api, partner_b, make_user, last_year, role):
    assert _file(api(partner_b, make_user(partner_b, role)), last_year).status_code == 403


def test_the_figures_the_charter_asks_for_are_required(api, partner_a, make_user, last_year):
    response = _file(
        api(partner_a, make_user(partner_a, "admin")),
        last_year,
        operating_result="1000",
        equity="5000",
    )

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "annual_report_invalid"
    assert set(response.json()["extra"]["fields"]) == {
        "staff_fte",
        "hq_capital",
        "hq_current_account",
        "hq_voting_share",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [("hq_voting_share", "1.5"), ("hq_capital", "-1"), ("operating_result", "1.005")],
)
def test_impossible_figures_are_refused(api, partner_a, make_user, last_year, field, value):
    response = _file(
        api(partner_a, make_user(partner_a, "admin")),
        last_year,
        **{
            **FIGURES,
            field: value,
        },
    )

    assert response.status_code == 400, response.content
    assert field in response.json()["extra"]["fields"]


def test_a_year_not_ended_and_a_second_report_are_refused(api, partner_a, make_user, today):
    client = api(partner_a, make_user(partner_a, "admin"))

    assert _file(client, today.year).status_code == 400
    assert _file(client, today.year - 1).status_code == 201
    assert _file(client, today.year - 1).status_code == 409


def test_a_report_is_corrected_and_the_correction_audited(
    api, partner_a, make_user, in_schema, last_year
):
    client = api(partner_a, make_user(partner_a, "accountant"))
    report = _file(client, last_year).json()

    response = client.patch(
        f"/api/v1/annual-reports/{report['id']}/", {"equity": "43000"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["equity"] == "43000.00"
    assert response.json()["filed_on"] == report["filed_on"]
    with in_schema(partner_a):
        assert AuditEntry.objects.filter(action="annual_report.correct").exists()


def test_a_partner_never_sees_another_partners_report(
    api, partner_a, partner_b, make_user, last_year
):
    b_report = _file(api(partner_b, make_user(partner_b, "admin")), last_year).json()
    a_admin = api(partner_a, make_user(partner_a, "admin"))

    listed = a_admin.get("/api/v1/annual-reports/").json()["results"]
    detail = a_admin.get(f"/api/v1/annual-reports/{b_report['id']}/")
    corrected = a_admin.patch(
        f"/api/v1/annual-reports/{b_report['id']}/", {"equity": "1"}, format="json"
    )
    b_token_on_a = APIClient(HTTP_HOST=host_of(partner_a))
    b_token_on_a.credentials(**api(partner_b, make_user(partner_b, "admin"))._credentials)

    assert listed == []
    assert detail.status_code == 404
    assert corrected.status_code == 404
    assert b_token_on_a.get("/api/v1/annual-reports/").status_code == 401


def test_headquarters_reads_every_partners_reports(api, partner_a, partner_b, make_user, last_year):
    for partner in (partner_a, partner_b):
        assert _file(api(partner, make_user(partner, "admin")), last_year).status_code == 201
    hq = api(None, make_user(None, "hq_analyst"))

    everyone = hq.get("/api/v1/annual-reports/", {"year": last_year}).json()["results"]
    only_a = hq.get("/api/v1/annual-reports/", {"partner": "alpha"}).json()["results"]
    writing = hq.post("/api/v1/annual-reports/", {"year": last_year}, format="json")

    assert {r["partner"] for r in everyone} == {"alpha", "beta"}
    assert [r["partner"] for r in only_a] == ["alpha"]
    assert writing.status_code == 405
