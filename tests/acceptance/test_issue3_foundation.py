"""Issue 3, "Foundation: a runnable federation on the real stack" — acceptance story.

Headquarters brings a new partner to life with the contract's commands, its people log
in on the partner's own host, both kinds of host publish their API schema and docs, and
the registry's lifecycle (suspend, archive, promote with a dated history) shows on the
wire: an unknown host 404, a suspended partner 403, an archived one 410.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests.acceptance.conftest import PASSWORD, host_of, login, ok

pytestmark = pytest.mark.django_db


def _command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_partner_created_by_command_is_served_on_its_own_host_and_follows_its_lifecycle(
    client,
):
    # Given: headquarters creates an Academy partner and its people with the commands.
    out = _command(
        "create_partner",
        "gamma",
        "--name",
        "Gamma Coop",
        "--country",
        "US",
        "--tier",
        "academy",
        "--founded",
        "2024-03-01",
    )
    assert "gamma" in out
    _command(
        "create_user",
        "--partner",
        "gamma",
        "--username",
        "gina",
        "--role",
        "admin",
        "--password",
        PASSWORD,
    )
    _command(
        "create_user", "--hq", "--username", "hilda", "--role", "hq_admin", "--password", PASSWORD
    )
    _command(
        "create_user", "--hq", "--username", "hans", "--role", "hq_analyst", "--password", PASSWORD
    )

    # When: the partner's admin asks for a token on the new host.
    gina = login("gamma", "gina")
    # Then: the token opens the partner's API, and the partner's settings answer.
    settings = ok(gina.get("/api/v1/settings/"))
    assert settings["country"] == "US"
    assert settings["currency"] == "USD"

    # A wrong password is refused with a JSON message, not a token.
    refused = APIClient(HTTP_HOST=host_of("gamma")).post(
        "/api/v1/auth/token/", {"username": "gina", "password": "wrong"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["message"]

    # The partner's token is refused on the federation host, and an HQ token on the
    # partner's host.
    gina_on_hq = APIClient(HTTP_HOST=host_of(None))
    gina_on_hq.credentials(HTTP_AUTHORIZATION=gina._credentials["HTTP_AUTHORIZATION"])
    assert gina_on_hq.get("/api/v1/partners/").status_code == 401
    hilda = login(None, "hilda")
    hilda_on_gamma = APIClient(HTTP_HOST=host_of("gamma"))
    hilda_on_gamma.credentials(HTTP_AUTHORIZATION=hilda._credentials["HTTP_AUTHORIZATION"])
    assert hilda_on_gamma.get("/api/v1/settings/").status_code == 401

    # Headquarters sees the partner in the registry, with its host and dated history.
    gamma = ok(hilda.get("/api/v1/partners/gamma/"))
    assert gamma["tier"] == "academy"
    assert gamma["status"] == "active"
    assert gamma["currency"] == "USD"
    assert gamma["host"] == host_of("gamma")
    history = ok(hilda.get("/api/v1/partners/gamma/history/"))
    assert [(e["kind"], e["tier"], e["status"]) for e in history] == [
        ("created", "academy", "active")
    ]

    # OpenAPI schema and interactive docs on both kinds of host.
    for host in (host_of("gamma"), host_of(None)):
        schema = client.get("/api/schema/", HTTP_HOST=host)
        assert schema.status_code == 200, host
        assert b"openapi" in schema.content
        docs = client.get("/api/docs/", HTTP_HOST=host)
        assert docs.status_code == 200, host
        page = docs.content.decode()
        assert "swagger" in page.lower()
        for cdn in ("cdn.", "unpkg.com", "jsdelivr"):
            assert cdn not in page
    partner_schema = client.get("/api/schema/", HTTP_HOST=host_of("gamma")).content.decode()
    assert "/api/v1/invoices/" in partner_schema
    federation_schema = client.get("/api/schema/", HTTP_HOST=host_of(None)).content.decode()
    assert "/api/v1/partners/" in federation_schema

    # An unknown host is a clear JSON 404.
    unknown = client.get("/api/v1/settings/", HTTP_HOST=host_of("nobody-here"))
    assert unknown.status_code == 404
    assert unknown.json()["message"]

    # Given: the partner has set up what Open Smart's charter asks (issue 13): its core
    # services, and its report for the year 2024, due before the promotion's date.
    for code in ("invoicing", "salary_conversion"):
        ok(
            gina.post(
                "/api/v1/services/",
                {
                    "code": code,
                    "reference_code": code,
                    "name": {"en": code},
                    "pricing_model": "free",
                    "available_from": "2024-03-01",
                },
                format="json",
            ),
            201,
        )
    ok(
        gina.post(
            "/api/v1/annual-reports/",
            {"year": 2024, "operating_result": "-1200.00", "equity": "3000.00", "staff_fte": "1"},
            format="json",
        ),
        201,
    )

    # When: headquarters promotes the Academy partner to open_smart, dated.
    promoted = ok(
        hilda.post(
            "/api/v1/partners/gamma/promote/",
            {"tier": "open_smart", "effective_on": "2026-01-01", "reason": "Readiness met"},
            format="json",
        )
    )
    # Then: the tier changed in place (same host, same data) and the history is dated.
    assert promoted["tier"] == "open_smart"
    assert ok(gina.get("/api/v1/settings/"))["country"] == "US"
    history = ok(hilda.get("/api/v1/partners/gamma/history/"))
    promotion = [e for e in history if e["tier"] == "open_smart"]
    assert len(promotion) == 1
    assert promotion[0]["previous_tier"] == "academy"
    assert promotion[0]["effective_on"] == "2026-01-01"
    assert promotion[0]["reason"] == "Readiness met"

    # An analyst reads but may not change the registry.
    hans = login(None, "hans")
    assert ok(hans.get("/api/v1/partners/gamma/"))["tier"] == "open_smart"
    assert hans.post("/api/v1/partners/gamma/suspend/", {}, format="json").status_code == 403

    # When: headquarters suspends the partner.
    suspended = ok(
        hilda.post("/api/v1/partners/gamma/suspend/", {"reason": "Unpaid"}, format="json")
    )
    assert suspended["status"] == "suspended"
    # Then: its host answers a clear 403, even to its own admin's token.
    refused = gina.get("/api/v1/settings/")
    assert refused.status_code == 403
    assert refused.json()["message"]
    assert refused.json()["code"] == "partner_suspended"

    # When reactivated, it is served again.
    ok(hilda.post("/api/v1/partners/gamma/reactivate/", {"reason": "Paid"}, format="json"))
    assert ok(gina.get("/api/v1/settings/"))["country"] == "US"

    # When: headquarters archives the partner.
    archived = ok(
        hilda.post("/api/v1/partners/gamma/archive/", {"reason": "Dormant"}, format="json")
    )
    assert archived["status"] == "archived"
    # Then: its host answers 410 Gone, and the registry keeps it with its whole history.
    gone = gina.get("/api/v1/settings/")
    assert gone.status_code == 410
    assert gone.json()["code"] == "partner_archived"
    assert ok(hilda.get("/api/v1/partners/gamma/"))["status"] == "archived"
    history = ok(hilda.get("/api/v1/partners/gamma/history/"))
    today = timezone.localdate().isoformat()
    by_kind = {e["kind"]: e for e in history}
    assert set(by_kind) >= {"created", "promoted", "suspended", "reactivated", "archived"}, [
        e["kind"] for e in history
    ]
    assert by_kind["suspended"]["reason"] == "Unpaid"
    assert by_kind["archived"]["effective_on"] == today
    assert by_kind["archived"]["previous_status"] == "active"
    assert by_kind["archived"]["tier"] == "open_smart"
