"""Issue 6, "Service catalogues" — acceptance story, through the HTTP API.

Headquarters (an ``hq_analyst`` on the federation host) sees at a glance which partner
offers which reference service; on the Swedish partner's host (beta, SE, SEK) the admin
adds grant help priced in kronor, a member subscribes to it and sees it billed once even
though the billing job runs twice; a partner cannot drop a core service (the charter,
issue 13), and a core service headquarters newly requires shows up in the coverage report
after the nightly refresh.

The only steps that do not go through HTTP are the two background jobs, run as Celery
runs them (the task functions, inside the partner's schema): the monthly billing
(``catalog.bill_month``) and the nightly coverage push (``catalog.coverage_refresh``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from services_catalog.local.tasks import bill_month, coverage_refresh
from tests.acceptance.conftest import PASSWORD, host_of, login, ok
from tests.helpers import translated

pytestmark = pytest.mark.django_db

# Core services of each session partner's tier (reference catalogue, from 2020-01-01).
ALPHA_CORE = [
    "advances",
    "guarantee_fund",
    "insurance",
    "invoicing",
    "salary_conversion",
    "training",
]
BETA_CORE = ["advances", "guarantee_fund", "invoicing", "salary_conversion"]

NAMES = {
    "invoicing": {"en": "Invoicing", "de": "Rechnungsstellung", "sv": "Fakturering"},
    "salary_conversion": {"en": "Salary", "de": "Lohn", "sv": "Lön"},
    "guarantee_fund": {"en": "Guarantee fund", "de": "Garantiefonds", "sv": "Garantifond"},
    "advances": {"en": "Advances", "de": "Vorschüsse", "sv": "Förskott"},
    "insurance": {"en": "Insurance", "de": "Versicherung", "sv": "Försäkring"},
    "training": {"en": "Training", "de": "Weiterbildung", "sv": "Utbildning"},
}


def results(body):
    return body["results"] if isinstance(body, dict) and "results" in body else body


def refresh_coverage(in_schema, *partners, as_of: dt.date) -> None:
    """The nightly job: each partner pushes its coverage aggregate to the federation."""
    for partner in partners:
        with in_schema(partner):
            coverage_refresh(as_of=as_of.isoformat())


def offer_core_services(admin, codes, since: dt.date) -> dict[str, dict]:
    """A partner's admin puts the core services of its tier in the local catalogue."""
    created = {}
    for code in codes:
        created[code] = ok(
            admin.post(
                "/api/v1/services/",
                {
                    "code": f"{code}_local",
                    "reference_code": code,
                    "name": NAMES[code],
                    "pricing_model": "free",
                    "available_from": since.isoformat(),
                },
                format="json",
            ),
            201,
        )
    return created


def test_headquarters_sees_who_offers_what_and_a_swedish_member_is_billed_once(
    partner_a, partner_b, make_user, in_schema
):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    since = last_month - dt.timedelta(days=60)

    # --- Headquarters' reference catalogue: codes, names in the analyst's language. --
    make_user(None, "hq_analyst", username="hanna", language="fr")
    hq = login(None, "hanna")
    response = hq.get("/api/v1/reference-services/?page_size=100")
    reference = {s["code"]: s for s in results(ok(response))}
    assert response["Content-Language"] == "fr"
    assert {"invoicing", "grant_help", "guarantee_fund"} <= set(reference)
    assert reference["invoicing"]["name"] == "Facturation"
    # An analyst reads but does not write the reference catalogue.
    assert hq.post("/api/v1/reference-services/", {}, format="json").status_code == 403

    # --- Each partner's admin offers the core services of its tier. -----------------
    alpha_admin = login(partner_a, make_user(partner_a, "admin").username)
    beta_admin = login(partner_b, make_user(partner_b, "admin").username)
    offer_core_services(alpha_admin, ALPHA_CORE, since)
    beta_services = offer_core_services(beta_admin, BETA_CORE, since)

    # The Swedish admin adds grant help, priced in kronor, named in Swedish and English.
    response = beta_admin.post(
        "/api/v1/services/",
        {
            "code": "grant_help_se",
            "reference_code": "grant_help",
            "name": {"sv": "Hjälp med offentliga bidrag", "en": "Help with public grants"},
            "pricing_model": "flat_monthly",
            "price_amount": "450.00",
            "currency": "SEK",
            "available_from": since.isoformat(),
        },
        format="json",
    )
    grant_help = ok(response, 201)
    assert response["Content-Language"] == "sv"
    assert grant_help["name"] == "Hjälp med offentliga bidrag"
    assert (grant_help["price_amount"], grant_help["currency"]) == ("450.00", "SEK")
    # A price in euros is refused with a clear message, and nothing is created.
    refused = beta_admin.post(
        "/api/v1/services/",
        {
            "code": "grant_help_eur",
            "reference_code": "grant_help",
            "name": {"sv": "Bidrag"},
            "pricing_model": "flat_monthly",
            "price_amount": "45.00",
            "currency": "EUR",
            "available_from": since.isoformat(),
        },
        format="json",
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["message"]
    codes = [s["code"] for s in results(ok(beta_admin.get("/api/v1/services/?page_size=100")))]
    assert "grant_help_eur" not in codes

    # --- The nightly coverage refresh; headquarters sees who offers what. -----------
    refresh_coverage(in_schema, partner_a, partner_b, as_of=today)
    coverage = {c["partner"]: c for c in results(ok(hq.get("/api/v1/coverage/")))}
    alpha, beta = coverage["alpha"], coverage["beta"]
    assert (alpha["tier"], alpha["country"]) == ("european_group", "DE")
    assert alpha["codes_offered"] == ALPHA_CORE
    assert alpha["core_required"] == ALPHA_CORE
    assert (alpha["missing_core"], alpha["complete"]) == ([], True)
    assert beta["codes_offered"] == sorted([*BETA_CORE, "grant_help"])
    assert (beta["missing_core"], beta["complete"]) == ([], True)
    assert beta["subscriber_counts"] == {}
    # Nobody lacks a core service yet.
    missing = [c["partner"] for c in results(ok(hq.get("/api/v1/coverage/?missing_core=true")))]
    assert "alpha" not in missing
    assert "beta" not in missing

    # --- A Swedish member subscribes to grant help from the start of last month. -----
    advisor = login(partner_b, make_user(partner_b, "advisor").username)
    accountant = login(partner_b, make_user(partner_b, "accountant").username)
    member = ok(
        advisor.post(
            "/api/v1/members/", {"first_name": "Sara", "last_name": "Lind"}, format="json"
        ),
        201,
    )
    ok(advisor.post(f"/api/v1/members/{member['id']}/admit/", {}, format="json"))
    ok(
        advisor.post(
            f"/api/v1/members/{member['id']}/login/",
            {"username": "sara", "password": PASSWORD},
            format="json",
        ),
        201,
    )
    activity = ok(
        advisor.post(
            "/api/v1/activities/",
            {"member": member["id"], "name": "Lind design", "sector": "74"},
            format="json",
        ),
        201,
    )["id"]
    # Her activity holds money: 10,000 SEK collected (fee taken).
    client = ok(
        advisor.post(
            "/api/v1/clients/", {"name": "Ek AB", "country": "SE", "kind": "company"}, format="json"
        ),
        201,
    )
    invoice = ok(
        advisor.post(
            "/api/v1/invoices/",
            {
                "activity": activity,
                "client": client["id"],
                "lines": [{"description": "Design", "quantity": "1", "unit_price": "10000.00"}],
            },
            format="json",
        ),
        201,
    )
    invoice = ok(
        advisor.post(
            f"/api/v1/invoices/{invoice['id']}/issue/",
            {"issue_date": last_month.isoformat()},
            format="json",
        )
    )
    ok(
        accountant.post(
            f"/api/v1/invoices/{invoice['id']}/payments/",
            {"amount": invoice["total_incl_vat"], "date": last_month.isoformat()},
            format="json",
        ),
        201,
    )

    sara = login(partner_b, "sara")
    # She sees the offer in Swedish, priced in kronor.
    offer = next(
        s
        for s in results(ok(sara.get("/api/v1/services/?page_size=100")))
        if s["code"] == "grant_help_se"
    )
    assert offer["name"] == "Hjälp med offentliga bidrag"
    assert (offer["price_amount"], offer["currency"], offer["pricing_model"]) == (
        "450.00",
        "SEK",
        "flat_monthly",
    )
    response = sara.post(
        "/api/v1/subscriptions/",
        {"service": grant_help["id"], "activity": activity, "starts_on": last_month.isoformat()},
        format="json",
    )
    subscription = ok(response, 201)
    assert response["Content-Language"] == "sv"
    assert subscription["reference_code"] == "grant_help"
    assert subscription["member"] == member["id"]
    # Subscribing twice to the same service over the same dates is refused.
    twice = sara.post(
        "/api/v1/subscriptions/",
        {"service": grant_help["id"], "activity": activity, "starts_on": today.isoformat()},
        format="json",
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "subscription_overlap")
    assert twice.json()["message"]
    balance_before = Decimal(ok(sara.get(f"/api/v1/activities/{activity}/"))["balance"])

    # --- The monthly billing job runs for last month — twice (a retry, a re-run). ----
    with in_schema(partner_b):
        first = bill_month(period=last_month.isoformat())
        second = bill_month(period=last_month.isoformat())
    assert first["billed"] == 1
    assert (second["billed"], second["already_billed"]) == (0, 1)

    # She sees it billed once: one charge of 450.00 SEK, one ledger debit.
    charges = results(ok(sara.get(f"/api/v1/subscriptions/{subscription['id']}/charges/")))
    assert len(charges) == 1
    charge = charges[0]
    assert (charge["amount"], charge["currency"]) == ("450.00", "SEK")
    assert charge["month"] == f"{last_month:%Y-%m}"
    assert charge["rule"]["rule"] == "flat_monthly"
    ledger = results(
        ok(sara.get(f"/api/v1/activities/{activity}/ledger/?kind=service_charge&page_size=50"))
    )
    assert [(e["amount"], e["currency"]) for e in ledger] == [("-450.00", "SEK")]
    assert ledger[0]["id"] == charge["ledger_entry"]
    assert "Hjälp med offentliga bidrag" in ledger[0]["description"]
    balance_after = Decimal(ok(sara.get(f"/api/v1/activities/{activity}/"))["balance"])
    assert balance_after == balance_before - Decimal("450.00")

    # --- Headquarters sees the subscriber count, never the subscriber. ----------------
    refresh_coverage(in_schema, partner_b, as_of=today)
    beta = ok(hq.get("/api/v1/coverage/beta/"))
    assert beta["subscriber_counts"] == {"grant_help": 1}
    assert "sara" not in str(beta).lower()
    assert "lind" not in str(beta).lower()

    # --- The Swedish partner may not drop a core service (issue 13: the charter). ---
    yesterday = today - dt.timedelta(days=1)
    refused = beta_admin.patch(
        f"/api/v1/services/{beta_services['guarantee_fund']['id']}/",
        {"available_until": yesterday.isoformat()},
        format="json",
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "charter_violation"
    assert "social_franchise@" in refused.json()["message"]
    # --- Headquarters makes coworking a core service of the social franchise today. --
    make_user(None, "hq_admin", username="henrik")
    hq_admin = login(None, "henrik")
    optional = results(
        ok(hq_admin.get("/api/v1/tier-requirements/?tier=social_franchise&code=coworking"))
    )
    ok(
        hq_admin.patch(
            f"/api/v1/tier-requirements/{optional[0]['id']}/",
            {"effective_until": yesterday.isoformat()},
            format="json",
        )
    )
    ok(
        hq_admin.post(
            "/api/v1/tier-requirements/",
            {
                "code": "coworking",
                "tier": "social_franchise",
                "level": "core",
                "effective_from": today.isoformat(),
            },
            format="json",
        ),
        201,
    )
    refresh_coverage(in_schema, partner_a, partner_b, as_of=today)

    # Then: it shows up in the coverage report, and only it.
    beta = ok(hq.get("/api/v1/coverage/beta/"))
    assert beta["missing_core"] == ["coworking"]
    assert beta["complete"] is False
    assert "guarantee_fund" in beta["codes_offered"]
    missing = {
        c["partner"]: c["missing_core"]
        for c in results(ok(hq.get("/api/v1/coverage/?missing_core=true")))
    }
    assert missing.get("beta") == ["coworking"]
    assert "alpha" not in missing
    assert ok(hq.get("/api/v1/coverage/alpha/"))["complete"] is True
    # The nightly push is idempotent: one snapshot per partner and day, the latest kept.
    history = results(ok(hq.get("/api/v1/coverage/beta/history/")))
    assert [(h["as_of"], h["missing_core"]) for h in history] == [
        (today.isoformat(), ["coworking"])
    ]


def test_partners_catalogues_are_out_of_reach_of_headquarters_and_other_partners(
    partner_a, partner_b, make_user
):
    beta_admin = login(partner_b, make_user(partner_b, "admin").username)
    service = ok(
        beta_admin.post(
            "/api/v1/services/",
            {
                "code": "grant_help_se",
                "reference_code": "grant_help",
                "name": {"sv": "Bidragshjälp"},
                "pricing_model": "free",
                "available_from": "2025-01-01",
            },
            format="json",
        ),
        201,
    )
    # Another partner's staff: 404 on the object, not in the list.
    alpha_admin = login(partner_a, make_user(partner_a, "admin").username)
    assert alpha_admin.get(f"/api/v1/services/{service['id']}/").status_code == 404
    assert "grant_help_se" not in [
        s["code"] for s in results(ok(alpha_admin.get("/api/v1/services/")))
    ]
    # Headquarters' token is refused on the partner's host.
    make_user(None, "hq_admin", username="hq-boss")
    hq = login(None, "hq-boss")
    hq_on_beta = APIClient(HTTP_HOST=host_of(partner_b))
    hq_on_beta.credentials(HTTP_AUTHORIZATION=hq._credentials["HTTP_AUTHORIZATION"])
    assert hq_on_beta.get("/api/v1/services/").status_code == 401
    # And a partner's token does not open the federation's coverage.
    beta_on_hq = APIClient(HTTP_HOST=host_of(None))
    beta_on_hq.credentials(HTTP_AUTHORIZATION=beta_admin._credentials["HTTP_AUTHORIZATION"])
    assert beta_on_hq.get("/api/v1/coverage/").status_code == 401


def test_a_service_name_comes_in_the_callers_language_else_the_partners(partner_b, make_user):
    admin = login(partner_b, make_user(partner_b, "admin").username)
    ok(
        admin.post(
            "/api/v1/services/",
            {
                "code": "grant_help_se",
                "reference_code": "grant_help",
                "name": {"sv": "Bidragshjälp", "en": "Grant help"},
                "pricing_model": "free",
                "available_from": "2025-01-01",
            },
            format="json",
        ),
        201,
    )

    def name_for(language):
        user = make_user(partner_b, "advisor", language=language)
        response = login(partner_b, user.username).get("/api/v1/services/")
        service = next(s for s in results(ok(response)) if s["code"] == "grant_help_se")
        return response["Content-Language"], service["name"], service["language"]

    assert name_for("en") == ("en", "Grant help", "en")
    assert name_for("sv") == ("sv", "Bidragshjälp", "sv")
    # No German text: a German-speaking advisor falls back to the partner's Swedish.
    assert name_for("de") == ("de", "Bidragshjälp", "sv")


def test_the_swedish_team_and_member_are_told_why_in_swedish(partner_b, make_user):
    admin = login(partner_b, make_user(partner_b, "admin").username)
    # The admin's price in euros is refused...
    refused = admin.post(
        "/api/v1/services/",
        {
            "code": "grant_help_se",
            "reference_code": "grant_help",
            "name": {"sv": "Bidragshjälp"},
            "pricing_model": "flat_monthly",
            "price_amount": "45.00",
            "currency": "EUR",
            "available_from": "2025-01-01",
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused["Content-Language"] == "sv"
    # ...in Swedish (observed once: "Prices of Beta ek. för. are in SEK, not EUR.").
    assert refused.json()["message"] == translated(
        "sv", "Prices of %(partner)s are in %(currency)s, not %(given)s."
    ) % {"partner": "Beta ek. för.", "currency": "SEK", "given": "EUR"}
