"""Every write of the local catalogue leaves one audit row in the partner's trail naming
who did what to which object; reads leave none; a partner never reads another's rows."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from services_catalog.local.models import PricingModel, ServiceCharge
from services_catalog.local.services import subscription_bill_month
from tenants.audit.models import AuditEntry
from tests.conftest import host_of
from tests.services_catalog.factories import ServiceFactory, SubscriptionFactory

GRANT_HELP = {
    "code": "grant_help_se",
    "reference_code": "grant_help",
    "name": {"sv": "Bidragshjälp"},
    "pricing_model": "flat_monthly",
    "price_amount": "450.00",
    "available_from": "2025-01-01",
}


def _rows(partner, in_schema, **filters):
    with in_schema(partner):
        return list(AuditEntry.objects.filter(**filters).order_by("id"))


def _only_row(partner, in_schema, action):
    rows = _rows(partner, in_schema, action=action)
    assert len(rows) == 1, [r.action for r in rows]
    return rows[0]


def test_creating_and_changing_a_service_is_audited_with_its_actor(
    api, partner_b, admin_b, in_schema
):
    client = api(partner_b, admin_b)

    created = client.post("/api/v1/services/", GRANT_HELP, format="json").json()
    client.patch(f"/api/v1/services/{created['id']}/", {"price_amount": "500.00"}, format="json")

    row = _only_row(partner_b, in_schema, "catalog_service.create")
    assert (row.actor_id, row.actor_username) == (admin_b.pk, admin_b.username)
    assert (row.object_type, row.object_id) == ("catalog_local.service", str(created["id"]))
    assert row.changes["price_amount"] == "450.000"
    row = _only_row(partner_b, in_schema, "catalog_service.update")
    assert row.actor_id == admin_b.pk
    assert row.object_id == str(created["id"])
    assert row.changes == {"price_amount": {"before": "450.000", "after": "500.000"}}


def test_a_subscription_its_end_and_its_uses_are_audited_with_their_actor(
    api, partner_b, admin_b, member_login, in_schema
):
    user, member, activity = member_login(partner_b)
    with in_schema(partner_b):
        service = ServiceFactory(pricing_model=PricingModel.PER_USE, price_amount=5)

    subscription = (
        api(partner_b, user)
        .post(
            "/api/v1/subscriptions/",
            {"service": service.pk, "activity": activity.pk, "starts_on": "2025-03-01"},
            format="json",
        )
        .json()
    )
    staff = api(partner_b, admin_b)
    use = staff.post(
        f"/api/v1/subscriptions/{subscription['id']}/uses/",
        {"used_on": "2025-03-03", "quantity": "2"},
        format="json",
    ).json()
    api(partner_b, user).post(
        f"/api/v1/subscriptions/{subscription['id']}/end/",
        {"ends_on": "2025-03-31"},
        format="json",
    )

    row = _only_row(partner_b, in_schema, "subscription.create")
    assert (row.actor_id, row.object_type) == (user.pk, "catalog_local.subscription")
    assert row.object_id == str(subscription["id"])
    assert row.changes["member"] == member.pk
    row = _only_row(partner_b, in_schema, "service_use.record")
    assert (row.actor_id, row.object_type, row.object_id) == (
        admin_b.pk,
        "catalog_local.serviceuse",
        str(use["id"]),
    )
    row = _only_row(partner_b, in_schema, "subscription.end")
    assert (row.actor_id, row.object_id) == (user.pk, str(subscription["id"]))
    assert row.changes == {"ends_on": {"before": None, "after": "2025-03-31"}}


def test_the_monthly_billing_is_audited_as_the_system(partner_b, in_schema):
    with in_schema(partner_b):
        subscription = SubscriptionFactory(starts_on=dt.date(2025, 3, 1))
        charge, _created = subscription_bill_month(
            subscription=subscription, period=dt.date(2025, 3, 1)
        )

    row = _only_row(partner_b, in_schema, "subscription.bill")
    assert (row.actor_id, row.actor_username) == (None, "system")
    assert (row.object_type, row.object_id) == ("catalog_local.servicecharge", str(charge.pk))
    assert row.changes["amount"] == {"amount": "30.00", "currency": "SEK"}


def test_billing_a_month_again_adds_no_audit_row(partner_b, in_schema):
    with in_schema(partner_b):
        subscription = SubscriptionFactory(starts_on=dt.date(2025, 3, 1))
        subscription_bill_month(subscription=subscription, period=dt.date(2025, 3, 1))
        subscription_bill_month(subscription=subscription, period=dt.date(2025, 3, 1))
        assert ServiceCharge.objects.count() == 1

    assert len(_rows(partner_b, in_schema, action="subscription.bill")) == 1


def test_a_refused_write_leaves_no_audit_row(api, partner_b, admin_b, in_schema):
    response = api(partner_b, admin_b).post(
        "/api/v1/services/", {**GRANT_HELP, "price_amount": "-1.00"}, format="json"
    )

    assert response.status_code == 400
    assert _rows(partner_b, in_schema, action__startswith="catalog_service.") == []


def test_reading_the_catalogue_leaves_no_audit_row(
    api, partner_b, admin_b, member_login, in_schema
):
    user, _member, activity = member_login(partner_b)
    with in_schema(partner_b):
        service = ServiceFactory()
        subscription = SubscriptionFactory(activity=activity, service=service)
        before = AuditEntry.objects.count()
    for client in (api(partner_b, admin_b), api(partner_b, user)):
        for url in (
            "/api/v1/services/",
            f"/api/v1/services/{service.pk}/",
            "/api/v1/subscriptions/",
            f"/api/v1/subscriptions/{subscription.pk}/",
            f"/api/v1/subscriptions/{subscription.pk}/charges/",
            f"/api/v1/subscriptions/{subscription.pk}/uses/",
        ):
            assert client.get(url).status_code == 200, url

    with in_schema(partner_b):
        assert AuditEntry.objects.count() == before


def test_another_partner_cannot_read_the_catalogues_audit_rows(
    api, partner_a, partner_b, admin_a, admin_b, in_schema
):
    api(partner_b, admin_b).post("/api/v1/services/", GRANT_HELP, format="json")
    assert _only_row(partner_b, in_schema, "catalog_service.create")

    listed = api(partner_a, admin_a).get(
        "/api/v1/audit/?object_type=catalog_local.service&action=catalog_service.create"
    )

    assert listed.status_code == 200
    assert listed.json()["results"] == []
    assert _rows(partner_a, in_schema, action="catalog_service.create") == []


def test_a_service_saved_in_the_admin_is_audited_with_its_actor(partner_b, admin_b, in_schema):
    client = Client(HTTP_HOST=host_of(partner_b))
    with in_schema(partner_b):
        client.force_login(admin_b)

    response = client.post(
        "/admin/catalog_local/service/add/",
        {
            "code": "grant_help_se",
            "reference_code": "grant_help",
            "name_sv": "Bidragshjälp",
            "pricing_model": "flat_monthly",
            "price_amount": "450",
            "available_from": "2025-01-01",
        },
    )

    assert response.status_code == 302
    row = _only_row(partner_b, in_schema, "catalog_service.create")
    assert (row.actor_id, row.object_type) == (admin_b.pk, "catalog_local.service")
    assert row.changes["currency"] == "SEK"
