"""Every write of the local catalogue leaves one audit row in the partner's trail naming
who did what to which object; reads leave none; a partner never reads another's rows."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from services_catalog.local.models import PricingModel, ServiceCharge
from services_catalog.local.services import subscription_bill_month
from services_catalog.reference.models import ReferenceService
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


# --- The reference catalogue (federation host, public schema) ---------------------------


def _federation_rows(in_schema, **filters):
    return _rows(None, in_schema, **filters)


def test_the_reference_catalogues_writes_are_audited_in_the_federations_trail(
    api, hq_admin, in_schema
):
    client = api(None, hq_admin)

    client.post(
        "/api/v1/reference-services/",
        {"code": "childcare_help", "category": "advice", "name": {"en": "Childcare help"}},
        format="json",
    )
    client.patch(
        "/api/v1/reference-services/childcare_help/",
        {"name": {"fr": "Aide à la garde d'enfants"}},
        format="json",
    )
    requirement = client.post(
        "/api/v1/tier-requirements/",
        {
            "code": "childcare_help",
            "tier": "academy",
            "level": "optional",
            "effective_from": "2027-01-01",
        },
        format="json",
    ).json()
    client.patch(
        f"/api/v1/tier-requirements/{requirement['id']}/",
        {"effective_until": "2027-12-31"},
        format="json",
    )

    service_id = str(ReferenceService.objects.get(code="childcare_help").pk)
    rows = _federation_rows(in_schema, actor_id=hq_admin.pk)
    assert [(r.action, r.object_type, r.object_id) for r in rows] == [
        ("reference_service.create", "catalog_reference.referenceservice", service_id),
        ("reference_service.update", "catalog_reference.referenceservice", service_id),
        ("tier_requirement.create", "catalog_reference.tierrequirement", str(requirement["id"])),
        ("tier_requirement.update", "catalog_reference.tierrequirement", str(requirement["id"])),
    ]
    assert {r.actor_username for r in rows} == {hq_admin.username}
    assert rows[0].changes["name_en"] == "Childcare help"
    assert rows[1].changes == {
        "name_fr": {"before": None, "after": "Aide à la garde d'enfants"},
    }
    assert rows[3].changes == {"effective_until": {"before": None, "after": "2027-12-31"}}


def test_reading_the_reference_catalogue_leaves_no_audit_row(api, hq_analyst, in_schema):
    client = api(None, hq_analyst)
    before = len(_federation_rows(in_schema))

    for url in (
        "/api/v1/reference-services/",
        "/api/v1/reference-services/advances/",
        "/api/v1/tier-requirements/",
        "/api/v1/coverage/",
    ):
        assert client.get(url).status_code == 200, url

    assert len(_federation_rows(in_schema)) == before


def test_a_partner_cannot_read_the_federations_audit_rows(
    api, partner_a, admin_a, hq_admin, in_schema
):
    api(None, hq_admin).post(
        "/api/v1/reference-services/",
        {"code": "childcare_help", "category": "advice", "name": {"en": "Childcare help"}},
        format="json",
    )
    assert _federation_rows(in_schema, action="reference_service.create")

    listed = api(partner_a, admin_a).get("/api/v1/audit/?action=reference_service.create")

    assert listed.status_code == 200
    assert listed.json()["results"] == []


def test_a_reference_service_saved_in_the_federation_admin_is_audited(hq_admin, in_schema):
    client = Client(HTTP_HOST=host_of(None))
    client.force_login(hq_admin)

    response = client.post(
        "/admin/catalog_reference/referenceservice/add/",
        {
            "code": "childcare_help",
            "category": "advice",
            "name_en": "Childcare help",
            "requirements-TOTAL_FORMS": "1",
            "requirements-INITIAL_FORMS": "0",
            "requirements-0-tier": "academy",
            "requirements-0-level": "optional",
            "requirements-0-effective_from": "2027-01-01",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    rows = _federation_rows(in_schema, actor_id=hq_admin.pk)
    assert [r.action for r in rows] == ["reference_service.create", "tier_requirement.create"]
