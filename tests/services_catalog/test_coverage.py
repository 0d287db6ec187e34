"""Coverage: each partner computes its aggregate in its own schema and pushes it to the
public rollup; the federation reads only that table."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from services_catalog.local.selectors import coverage_compute
from services_catalog.local.services import coverage_push
from services_catalog.reference.models import CoverageSnapshot
from tests.services_catalog.factories import ServiceFactory, SubscriptionFactory

ON = dt.date(2025, 6, 1)
SOCIAL_FRANCHISE_CORE = ["advances", "guarantee_fund", "invoicing", "salary_conversion"]


def _offer(*codes, **fields):
    return {
        code: ServiceFactory(code=f"{code}_local", reference_code=code, **fields) for code in codes
    }


def _direct_counts(on):
    """Distinct subscribers per reference code, counted in plain SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT CASE WHEN s.reference_code = '' THEN 'local:' || s.code
                        ELSE s.reference_code END AS key,
                   count(DISTINCT sub.member_id)
            FROM catalog_local_subscription sub
            JOIN catalog_local_service s ON s.id = sub.service_id
            WHERE sub.starts_on <= %s AND (sub.ends_on IS NULL OR sub.ends_on >= %s)
            GROUP BY 1
            """,
            [on, on],
        )
        return dict(cursor.fetchall())


def test_coverage_equals_a_direct_count(partner_b, in_schema):
    with in_schema(partner_b):
        # Given services, two offers of one reference service, a local-only one
        offers = _offer("invoicing", "salary_conversion", "guarantee_fund", "grant_help")
        second_grant_offer = ServiceFactory(code="grant_help_plus", reference_code="grant_help")
        local_only = ServiceFactory(code="sauna")
        _offer("advances", available_until=dt.date(2025, 5, 31))  # withdrawn before ON
        # and subscriptions in force, ended, future, and doubled on one reference code
        alice = SubscriptionFactory(service=offers["grant_help"])
        SubscriptionFactory(activity=alice.activity, service=second_grant_offer)
        SubscriptionFactory(service=offers["grant_help"])
        SubscriptionFactory(service=offers["invoicing"], ends_on=dt.date(2025, 5, 31))
        SubscriptionFactory(service=offers["invoicing"], starts_on=dt.date(2025, 7, 1))
        SubscriptionFactory(service=offers["invoicing"], ends_on=ON)
        SubscriptionFactory(service=local_only)

        # When the partner computes its coverage
        coverage = coverage_compute(as_of=ON)

        # Then it matches the direct count
        assert coverage["subscriber_counts"] == _direct_counts(ON)
        assert coverage["subscriber_counts"] == {
            "grant_help": 2,
            "invoicing": 1,
            "local:sauna": 1,
        }
        assert coverage["codes_offered"] == [
            "grant_help",
            "guarantee_fund",
            "invoicing",
            "salary_conversion",
        ]
        assert coverage["tier"] == "social_franchise"
        assert coverage["core_required"] == SOCIAL_FRANCHISE_CORE
        assert coverage["missing_core"] == ["advances"]


def test_a_partner_that_drops_a_core_service_shows_up_in_the_coverage_report(
    api, partner_a, partner_b, hq_analyst, in_schema
):
    # Given beta offers its whole core, then withdraws advances at the end of May
    with in_schema(partner_b):
        offers = _offer(*SOCIAL_FRANCHISE_CORE)
        coverage_push(as_of=dt.date(2025, 5, 1))
        offers["advances"].available_until = dt.date(2025, 5, 31)
        offers["advances"].save()
        # When beta pushes its coverage
        coverage_push(as_of=ON)
    with in_schema(partner_a):
        _offer("invoicing")
        coverage_push(as_of=ON)

    # Then headquarters sees beta (and alpha, which offers little) missing core services
    client = api(None, hq_analyst)
    report = client.get("/api/v1/coverage/").json()
    rows = {row["partner"]: row for row in report["results"]}
    assert rows["beta"]["missing_core"] == ["advances"]
    assert rows["beta"]["complete"] is False
    assert rows["beta"]["as_of"] == "2025-06-01"
    assert "advances" not in rows["beta"]["codes_offered"]
    assert rows["alpha"]["codes_offered"] == ["invoicing"]
    missing = client.get("/api/v1/coverage/?missing_core=true").json()
    assert {row["partner"] for row in missing["results"]} == {"alpha", "beta"}
    history = client.get("/api/v1/coverage/beta/history/").json()
    assert [row["missing_core"] for row in history["results"]] == [["advances"], []]
    before = client.get("/api/v1/coverage/?as_of=2025-05-15").json()
    assert [(row["partner"], row["complete"]) for row in before["results"]] == [("beta", True)]


def test_federation_coverage_carries_only_aggregates(api, partner_b, hq_analyst, in_schema):
    with in_schema(partner_b):
        subscription = SubscriptionFactory(
            service=ServiceFactory(code="grants", reference_code="grant_help")
        )
        coverage_push(as_of=ON)
        member_name = subscription.member.last_name

    response = api(None, hq_analyst).get("/api/v1/coverage/beta/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "partner",
        "partner_name",
        "country",
        "tier",
        "as_of",
        "codes_offered",
        "core_required",
        "missing_core",
        "complete",
        "subscriber_counts",
        "computed_at",
    }
    assert body["subscriber_counts"] == {"grant_help": 1}
    assert member_name not in response.content.decode()
    snapshot = CoverageSnapshot.objects.get(partner=partner_b)
    assert set(snapshot.subscriber_counts.values()) == {1}


def test_the_coverage_endpoint_never_enters_a_partner_schema(api, partner_b, hq_analyst, in_schema):
    with in_schema(partner_b):
        _offer("invoicing")
        coverage_push(as_of=ON)
    client = api(None, hq_analyst)
    client.get("/api/v1/coverage/")  # warm the routing table

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/coverage/")

    assert response.status_code == 200
    statements = " ".join(q["sql"] for q in queries.captured_queries)
    assert "catalog_local" not in statements
    assert '"beta"' not in statements
    assert "beta," not in statements


def test_pushing_twice_the_same_day_keeps_one_snapshot(partner_b, in_schema):
    with in_schema(partner_b):
        _offer("invoicing")
        coverage_push(as_of=ON)
        ServiceFactory(code="advances_local", reference_code="advances")
        coverage_push(as_of=ON)

    snapshot = CoverageSnapshot.objects.get(partner=partner_b, as_of=ON)
    assert snapshot.codes_offered == ["advances", "invoicing"]


def test_partner_tokens_cannot_read_the_coverage(api, partner_b, admin_b):
    from rest_framework.authtoken.models import Token

    from tests.conftest import schema_of

    with schema_of(partner_b):
        key = Token.objects.get_or_create(user=admin_b)[0].key

    response = api(None).get("/api/v1/coverage/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
