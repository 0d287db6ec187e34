"""Findings: a charter change opens them and never rewrites settings; the nightly check
opens and resolves them idempotently; a partner sees only its own, HQ sees all."""

import datetime as dt
from decimal import Decimal

import pytest

from shared.charter.models import CharterFinding
from shared.charter.services import charter_create
from tenants.charter_checks.tasks import charter_check, charter_check_all, charter_check_here
from tenants.partner_settings.selectors import fee_rate
from tests.helpers import make_partner, meet_charter


def _open(partner, kind=None):
    qs = CharterFinding.objects.filter(partner=partner, status="open")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@pytest.fixture
def compliant_a(partner_a, in_schema, today):
    """Partner A offering its tier's core services: no finding open."""
    meet_charter(partner_a, "european_group")
    with in_schema(partner_a):
        charter_check_here(today=today)
    assert not _open(partner_a).exists()
    return partner_a


def test_a_charter_change_opens_findings_and_leaves_the_settings_alone(
    compliant_a, hq_admin, in_schema, future
):
    charter_create(
        actor=hq_admin, tier="european_group", effective_from=future, fee_rate_min="0.0750"
    )

    (finding,) = _open(compliant_a)
    assert finding.kind == "fee_rate"
    assert finding.charter.effective_from == future
    assert finding.detail["bound"] == {"min": "0.0750", "max": "0.0800"}
    assert finding.detail["value"] == "0.0700"
    with in_schema(compliant_a):
        assert fee_rate(on=future) == Decimal("0.0700")


def test_the_nightly_check_is_idempotent_and_resolves_what_is_fixed(
    compliant_a, hq_admin, admin_a, api, in_schema, today, future
):
    charter_create(
        actor=hq_admin, tier="european_group", effective_from=future, fee_rate_min="0.0750"
    )
    with in_schema(compliant_a):
        first = charter_check_here(today=today)
        rows = list(CharterFinding.objects.filter(partner=compliant_a).values())
        again = charter_check_here(today=today)

    assert (first["opened"], first["updated"], first["resolved"]) == (0, 0, 0)
    assert (again["opened"], again["updated"], again["resolved"]) == (0, 0, 0)
    assert list(CharterFinding.objects.filter(partner=compliant_a).values()) == rows

    fixed = api(compliant_a, admin_a).patch(
        "/api/v1/settings/",
        {"fee_rate": "0.0750", "fee_rate_effective_from": future.isoformat()},
        format="json",
    )
    assert fixed.status_code == 200, fixed.content
    with in_schema(compliant_a):
        result = charter_check_here(today=today)
    assert result["resolved"] == 1
    finding = CharterFinding.objects.get(partner=compliant_a, kind="fee_rate")
    assert (finding.status, finding.resolved_on) == ("resolved", today)


def test_a_missing_core_service_is_a_finding(partner_b, in_schema, today):
    with in_schema(partner_b):
        charter_check_here(today=today)

    missing = set(_open(partner_b, "core_service").values_list("subject", flat=True))
    assert missing == {"invoicing", "salary_conversion", "guarantee_fund", "advances"}


def test_a_report_past_due_is_a_finding_until_filed(db, in_schema, api, make_user, today):
    from shared.charter.selectors import charter_in_force, report_due_on

    first = today.year - 3
    partner = make_partner(
        "sevilla", tier="social_franchise", country="ES", founded_on=dt.date(first, 2, 1)
    )
    charter = charter_in_force("social_franchise", today)
    due = {str(y) for y in range(first, today.year) if report_due_on(y, charter) < today}
    assert {str(first), str(first + 1)} <= due
    with in_schema(partner):
        charter_check_here(today=today)
    assert set(_open(partner, "annual_report").values_list("subject", flat=True)) == due

    response = api(partner, make_user(partner, "accountant")).post(
        "/api/v1/annual-reports/",
        {
            "year": first,
            "operating_result": "-5000.00",
            "equity": "12000.00",
            "staff_fte": "3.5",
            "hq_capital": "40000",
            "hq_current_account": "25000",
            "hq_voting_share": "0.2500",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["late"] is True
    assert set(_open(partner, "annual_report").values_list("subject", flat=True)) == due - {
        str(first)
    }


def test_the_beat_runs_the_check_in_every_partner(monkeypatch, partner_a, partner_b):
    import config.celery

    sent = []
    monkeypatch.setattr(
        config.celery.app,
        "send_task",
        lambda name, args, kwargs: sent.append((name, kwargs)),
    )

    assert charter_check_all(today="2026-12-04") >= 2
    assert ("charter.check", {"today": "2026-12-04"}) in sent
    assert "charter-check" in config.celery.app.conf.beat_schedule


def test_the_tenant_task_refuses_to_run_in_public(db):
    assert charter_check(today="2026-12-04") is None


# --- Who sees which findings ---------------------------------------------------------


@pytest.fixture
def findings_a_and_b(partner_a, partner_b, in_schema, today):
    for partner in (partner_a, partner_b):
        with in_schema(partner):
            charter_check_here(today=today)
    assert _open(partner_a).exists()
    assert _open(partner_b).exists()


def test_a_partner_sees_only_its_own_findings_on_its_host(
    findings_a_and_b, api, partner_a, partner_b, make_user
):
    own = api(partner_a, make_user(partner_a, "advisor")).get("/api/v1/charter-findings/")

    assert own.status_code == 200, own.content
    partners = {f["partner"] for f in own.json()["results"]}
    assert partners == {"alpha"}
    first = own.json()["results"][0]
    assert {"partner", "kind", "status", "opened_on"} <= set(first)
    b_finding = _open(partner_b).first()
    assert (
        api(partner_a, make_user(partner_a, "admin"))
        .get(f"/api/v1/charter-findings/{b_finding.pk}/")
        .status_code
        == 404
    )


def test_another_partners_token_is_refused_on_a_partners_host(
    findings_a_and_b, api, partner_a, partner_b, make_user
):
    from rest_framework.test import APIClient

    from tests.conftest import host_of

    b_client = api(partner_b, make_user(partner_b, "admin"))
    on_a = APIClient(HTTP_HOST=host_of(partner_a))
    on_a.credentials(**b_client._credentials)

    assert on_a.get("/api/v1/charter-findings/").status_code == 401


def test_members_do_not_read_the_findings(findings_a_and_b, api, partner_a, make_user):
    response = api(partner_a, make_user(partner_a, "member")).get("/api/v1/charter-findings/")

    assert response.status_code == 403


def test_headquarters_sees_every_partners_findings(findings_a_and_b, api, hq_analyst):
    client = api(None, hq_analyst)

    everyone = client.get("/api/v1/charter-findings/", {"status": "open", "page_size": 200})
    only_b = client.get("/api/v1/charter-findings/", {"partner": "beta"})

    assert everyone.status_code == 200, everyone.content
    assert {"alpha", "beta"} <= {f["partner"] for f in everyone.json()["results"]}
    assert {f["partner"] for f in only_b.json()["results"]} == {"beta"}
    assert all(f["message"] for f in only_b.json()["results"])
