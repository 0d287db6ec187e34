"""Subscriptions on a partner host: who subscribes whom, validation, and isolation."""

import datetime as dt

from services_catalog.local.models import Subscription
from tests.services_catalog.factories import ServiceFactory, SubscriptionFactory


def _subscriptions(partner, in_schema):
    with in_schema(partner):
        return Subscription.objects.count()


def test_a_member_subscribes_their_own_activity(api, partner_b, member_login, in_schema):
    user, member, activity = member_login(partner_b)
    with in_schema(partner_b):
        service = ServiceFactory(code="grant_help_se", reference_code="grant_help")

    response = api(partner_b, user).post(
        "/api/v1/subscriptions/",
        {"service": service.pk, "activity": activity.pk, "starts_on": "2025-03-16"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["member"], body["activity"], body["service_code"]) == (
        member.pk,
        activity.pk,
        "grant_help_se",
    )
    assert body["ends_on"] is None


def test_a_member_cannot_charge_another_members_activity(api, partner_b, member_login, in_schema):
    user, _member, _activity = member_login(partner_b)
    _other_user, _other, other_activity = member_login(partner_b)
    with in_schema(partner_b):
        service = ServiceFactory()

    response = api(partner_b, user).post(
        "/api/v1/subscriptions/",
        {"service": service.pk, "activity": other_activity.pk, "starts_on": "2025-03-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["activity"] == ["Okänd verksamhet."]  # Swedish
    assert _subscriptions(partner_b, in_schema) == 0


def test_a_member_sees_only_their_own_subscriptions(api, partner_b, member_login, in_schema):
    user, _member, activity = member_login(partner_b)
    _other_user, _other, other_activity = member_login(partner_b)
    with in_schema(partner_b):
        service = ServiceFactory()
        mine = SubscriptionFactory(activity=activity, service=service)
        theirs = SubscriptionFactory(activity=other_activity, service=service)
    client = api(partner_b, user)

    listed = client.get("/api/v1/subscriptions/").json()

    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert client.get(f"/api/v1/subscriptions/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/subscriptions/{theirs.pk}/charges/").status_code == 404
    ended = client.post(
        f"/api/v1/subscriptions/{theirs.pk}/end/", {"ends_on": "2025-12-31"}, format="json"
    )
    assert ended.status_code == 404


def test_staff_see_every_subscription(api, partner_b, admin_b, in_schema):
    with in_schema(partner_b):
        SubscriptionFactory()
        SubscriptionFactory()

    assert api(partner_b, admin_b).get("/api/v1/subscriptions/").json()["count"] == 2


def test_overlapping_subscriptions_to_one_service_are_refused(api, partner_b, admin_b, in_schema):
    with in_schema(partner_b):
        existing = SubscriptionFactory(starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 6, 30))

    response = api(partner_b, admin_b).post(
        "/api/v1/subscriptions/",
        {
            "service": existing.service_id,
            "activity": existing.activity_id,
            "starts_on": "2025-06-01",
        },
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "subscription_overlap"
    assert "2025-01-01 till 2025-06-30" in response.json()["message"]  # Swedish
    assert _subscriptions(partner_b, in_schema) == 1


def test_a_new_subscription_after_the_previous_one_ended_is_accepted(
    api, partner_b, admin_b, in_schema
):
    with in_schema(partner_b):
        existing = SubscriptionFactory(starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 6, 30))

    response = api(partner_b, admin_b).post(
        "/api/v1/subscriptions/",
        {
            "service": existing.service_id,
            "activity": existing.activity_id,
            "starts_on": "2025-07-01",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()


def test_the_database_refuses_overlaps_too(partner_b, in_schema):
    import pytest
    from django.db import IntegrityError, transaction

    with in_schema(partner_b):
        existing = SubscriptionFactory(starts_on=dt.date(2025, 1, 1))
        with pytest.raises(IntegrityError), transaction.atomic():
            SubscriptionFactory(
                activity=existing.activity,
                service=existing.service,
                starts_on=dt.date(2026, 1, 1),
            )


def test_ending_before_starting_is_refused(api, partner_b, admin_b, in_schema):
    with in_schema(partner_b):
        service = ServiceFactory()
        subscription = SubscriptionFactory(service=service, starts_on=dt.date(2025, 3, 1))
    client = api(partner_b, admin_b)

    created = client.post(
        "/api/v1/subscriptions/",
        {
            "service": service.pk,
            "activity": subscription.activity_id,
            "starts_on": "2024-05-01",
            "ends_on": "2024-04-30",
        },
        format="json",
    )
    ended = client.post(
        f"/api/v1/subscriptions/{subscription.pk}/end/", {"ends_on": "2025-02-28"}, format="json"
    )

    assert created.status_code == 400
    assert "kan inte sluta (2024-04-30) innan den börjar (2024-05-01)" in created.json()["message"]
    assert ended.status_code == 400
    assert ended.json()["code"] == "subscription_invalid"
    with in_schema(partner_b):
        subscription.refresh_from_db()
        assert subscription.ends_on is None
        assert Subscription.objects.count() == 1


def test_a_member_ends_their_subscription(api, partner_b, member_login, in_schema):
    user, _member, activity = member_login(partner_b)
    with in_schema(partner_b):
        subscription = SubscriptionFactory(activity=activity, starts_on=dt.date(2025, 1, 1))

    response = api(partner_b, user).post(
        f"/api/v1/subscriptions/{subscription.pk}/end/", {"ends_on": "2025-04-30"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["ends_on"] == "2025-04-30"


def test_a_service_not_yet_available_cannot_be_subscribed(api, partner_b, admin_b, in_schema):
    with in_schema(partner_b):
        service = ServiceFactory(available_from=dt.date(2026, 1, 1))
        subscription = SubscriptionFactory()

    response = api(partner_b, admin_b).post(
        "/api/v1/subscriptions/",
        {"service": service.pk, "activity": subscription.activity_id, "starts_on": "2025-12-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "är inte tillgänglig 2025-12-01" in response.json()["message"]  # Swedish


def test_another_partner_cannot_see_or_change_services_and_subscriptions(
    api, partner_a, partner_b, admin_a, in_schema
):
    with in_schema(partner_b):
        subscription = SubscriptionFactory()
        service = subscription.service
    client = api(partner_a, admin_a)

    assert client.get("/api/v1/services/").json()["count"] == 0
    assert client.get("/api/v1/subscriptions/").json()["count"] == 0
    assert client.get(f"/api/v1/services/{service.pk}/").status_code == 404
    assert client.get(f"/api/v1/subscriptions/{subscription.pk}/").status_code == 404
    patched = client.patch(
        f"/api/v1/services/{service.pk}/", {"pricing_model": "free"}, format="json"
    )
    assert patched.status_code == 404
    ended = client.post(
        f"/api/v1/subscriptions/{subscription.pk}/end/", {"ends_on": "2025-12-31"}, format="json"
    )
    assert ended.status_code == 404
    with in_schema(partner_b):
        service.refresh_from_db()
        subscription.refresh_from_db()
        assert service.pricing_model == "flat_monthly"
        assert subscription.ends_on is None


def test_a_partner_token_does_not_work_on_another_partners_host(api, partner_a, partner_b, admin_b):
    from rest_framework.authtoken.models import Token

    from tests.conftest import schema_of

    with schema_of(partner_b):
        key = Token.objects.get_or_create(user=admin_b)[0].key

    response = api(partner_a).get("/api/v1/services/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401


def test_headquarters_tokens_get_401_on_partner_hosts(api, partner_b, hq_admin, in_schema):
    from rest_framework.authtoken.models import Token

    key = Token.objects.get_or_create(user=hq_admin)[0].key
    client = api(partner_b)

    for path in ("/api/v1/services/", "/api/v1/subscriptions/"):
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 401, path


def test_partner_endpoints_are_not_served_on_the_federation_host(api, hq_admin):
    client = api(None, hq_admin)

    assert client.get("/api/v1/services/").status_code == 404
    assert client.get("/api/v1/subscriptions/").status_code == 404
