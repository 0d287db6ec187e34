"""Answers that the schemathesis run found disagreeing with the schema, each pinned as one
behaviour: what the schema calls valid is taken, what it calls invalid is refused with a
400 that names the parameter or field, and no method or format turns into a wrong
status."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(partner_a, make_user, api):
    return api(partner_a, make_user(partner_a, "admin"))


@pytest.mark.parametrize("value", ["abc", "0", "-3", "2.5", "null"])
def test_a_malformed_page_size_is_refused_with_its_name(admin, value):
    # Given a page size that is no positive whole number
    # When a list is asked for with it
    response = admin.get("/api/v1/clients/", {"page_size": value})
    # Then it is refused, naming the parameter (not silently replaced by the default)
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["page_size"]


def test_an_empty_page_size_counts_as_absent(admin):
    response = admin.get("/api/v1/clients/", {"page_size": ""})
    assert response.status_code == 200


def test_a_larger_page_size_than_allowed_is_served_at_the_maximum(admin, partner_a, in_schema):
    from tests.tenants.invoicing.factories import make_client

    with in_schema(partner_a):
        make_client()
    response = admin.get("/api/v1/clients/", {"page_size": "100000"})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_an_export_refuses_a_malformed_page_too(admin):
    # An export ignores pagination, but a bad parameter is still named, not ignored.
    response = admin.get("/api/v1/clients/", {"format": "csv", "page": "abc"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["extra"]["fields"]) == ["page"]


def test_an_undeclared_method_on_an_export_list_answers_405(admin):
    # Content negotiation ran before the method check: ?format=csv made TRACE a 404.
    response = admin.generic("TRACE", "/api/v1/clients/?format=csv")
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("/api/v1/members/", "status", "dormant"),
        ("/api/v1/activities/", "status", "dormant"),
        ("/api/v1/activities/", "member", "abc"),
        ("/api/v1/expenses/", "status", "paid"),
        ("/api/v1/expenses/", "activity", "-1"),
        ("/api/v1/guarantee-fund/movements/", "kind", "gift"),
        ("/api/v1/guarantee-fund/movements/", "invoice", "x1"),
    ],
)
def test_a_filter_outside_its_schema_is_refused_with_its_name(admin, path, parameter, value):
    # Before: an unknown status or a non-numeric id silently gave an empty list.
    response = admin.get(path, {parameter: value})
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == [parameter]


def test_a_ledger_date_filter_outside_its_schema_is_refused(admin, partner_a, in_schema):
    from tests.tenants.invoicing.factories import make_activity

    with in_schema(partner_a):
        activity = make_activity()
    response = admin.get(f"/api/v1/activities/{activity.pk}/ledger/", {"from": "2025-13-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_known_filter_value_filters(admin, partner_a, in_schema):
    from tests.tenants.invoicing.factories import make_member

    with in_schema(partner_a):
        make_member()
    assert admin.get("/api/v1/members/", {"status": "active"}).json()["count"] == 1
    assert admin.get("/api/v1/members/", {"status": "applicant"}).json()["count"] == 0


def test_federation_filters_outside_their_schema_are_refused(api, make_user):
    hq = api(None, make_user(None, "hq_admin"))
    for path, parameter, value in (
        ("/api/v1/partners/", "tier", "platinum"),
        ("/api/v1/coverage/", "missing_core", "maybe"),
        ("/api/v1/reference-services/", "level", "mandatory"),
    ):
        response = hq.get(path, {parameter: value})
        assert response.status_code == 400, path
        assert list(response.json()["extra"]["fields"]) == [parameter], path


def test_patching_me_with_nothing_changes_nothing(admin):
    # PATCH documents every field as optional; an empty body was refused ("required").
    response = admin.patch("/api/v1/me/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["username"].startswith("admin-")


def test_an_empty_invoice_line_list_is_refused_as_the_schema_says(admin, partner_a, in_schema):
    from tests.tenants.invoicing.factories import make_activity, make_client

    with in_schema(partner_a):
        activity, client = make_activity(), make_client()
    response = admin.post(
        "/api/v1/invoices/",
        {"activity": activity.pk, "client": client.pk, "lines": []},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["lines"]


def test_a_rule_between_simulation_fields_has_its_own_code(admin):
    # Each field is well formed; together they break a rule the schema cannot express.
    response = admin.post(
        "/api/v1/salary-simulations/",
        {"amount": "2000", "period_start": "2026-02-01", "period_end": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "labour_law_input_invalid"
    assert list(body["extra"]["fields"]) == ["period_end"]


def test_settings_refuse_an_unknown_key_as_the_schema_says(partner_a, make_user, api):
    # The schema says additionalProperties: false; the view does refuse unknown keys.
    from tests.conftest import schema_of

    admin = api(partner_a, make_user(partner_a, "admin"))
    with schema_of(partner_a):
        response = admin.patch("/api/v1/settings/", {"colour": "red"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["colour"]


def test_invoice_permissions_can_be_asked_for_twice(partner_a, make_user):
    # The schema generator asks a view for its permissions; the payments action replaced
    # its roles on the first call and failed with a TypeError on the second.
    from rest_framework.test import APIRequestFactory

    from tenants.invoicing.api.views import InvoiceViewSet

    view = InvoiceViewSet()
    view.action = "payments"
    view.request = APIRequestFactory().post("/")
    first = view.get_permissions()
    second = view.get_permissions()
    assert [type(p) for p in first] == [type(p) for p in second]
    assert set(view.roles["payments"]) == {"admin", "accountant"}


def test_a_zero_manual_ledger_entry_is_refused_as_a_ledger_rule(admin, partner_a, in_schema):
    # "0" is a well-formed amount: refusing it is the ledger's rule, with the ledger's code.
    from tests.tenants.invoicing.factories import make_activity

    with in_schema(partner_a):
        activity = make_activity()
    response = admin.post(
        f"/api/v1/activities/{activity.pk}/ledger/",
        {"kind": "fee", "amount": "0", "booked_on": "2026-01-05", "description": "x"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "ledger_invalid"
    assert list(body["extra"]["fields"]) == ["amount"]


def test_a_chart_of_accounts_that_is_no_object_is_refused(admin):
    response = admin.patch("/api/v1/settings/", {"chart_of_accounts": ["706"]}, format="json")
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["chart_of_accounts"]


def test_a_blank_nullable_amount_is_read_as_none(admin):
    # The schema admits a blank string for a nullable decimal, because DRF reads it as null:
    # an income plan month with "" hours is a month without hours.
    response = admin.post(
        "/api/v1/income-plans/",
        {"start_month": "2026-01", "incomes": ["100"], "hours": [""]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["inputs"]["hours"] == [None]
