"""Monthly billing of subscriptions through the activity ledger: pricing models, pro-rata,
and a re-run that posts nothing more."""

import datetime as dt
from decimal import Decimal

import pytest

from common.money import Money
from services_catalog.local.exceptions import ServiceUseInvalid, SubscriptionInvalid
from services_catalog.local.models import ServiceCharge
from services_catalog.local.services import (
    charges_bill_month,
    service_use_record,
    subscription_bill_month,
)
from tenants.members.models import LedgerEntry
from tenants.members.selectors import activity_balance
from tests.services_catalog.factories import ServiceFactory, SubscriptionFactory
from tests.tenants.members.factories import post

MARCH = dt.date(2025, 3, 1)


def _charges(activity):
    return list(
        LedgerEntry.objects.filter(activity=activity, kind="service_charge").values_list(
            "amount", flat=True
        )
    )


def test_a_whole_month_of_a_flat_monthly_service_costs_its_price(partner_a, in_schema):
    with in_schema(partner_a):
        subscription = SubscriptionFactory(
            service=ServiceFactory(price_amount=Decimal("30.00")), starts_on=dt.date(2025, 1, 1)
        )

        charge, created = subscription_bill_month(subscription=subscription, period=MARCH)

        assert created
        assert charge.amount == Decimal("30.00")
        entry = charge.ledger_entry
        assert (entry.kind, entry.amount, entry.currency, entry.booked_on) == (
            "service_charge",
            Decimal("-30.000"),
            "EUR",
            dt.date(2025, 3, 31),
        )
        assert entry.rule["days"] == 31


def test_a_subscription_starting_mid_month_pays_its_days(partner_a, in_schema):
    with in_schema(partner_a):
        # Given a 30 EUR monthly service subscribed from 10 March (22 of 31 days)
        subscription = SubscriptionFactory(
            service=ServiceFactory(price_amount=Decimal("30.00")), starts_on=dt.date(2025, 3, 10)
        )

        # When March is billed
        charge, _created = subscription_bill_month(subscription=subscription, period=MARCH)

        # Then 30 × 22 / 31 = 21.2903… rounded half-up to the cent
        assert charge.amount == Decimal("21.29")
        assert charge.rule == {
            "rule": "flat_monthly",
            "service": subscription.service.code,
            "month": "2025-03",
            "from": "2025-03-10",
            "to": "2025-03-31",
            "price": "30.000",
            "days": 22,
            "days_in_month": 31,
            "amount": "21.29",
        }


def test_a_subscription_ended_mid_month_pays_until_its_last_day(partner_a, in_schema):
    with in_schema(partner_a):
        subscription = SubscriptionFactory(
            service=ServiceFactory(price_amount=Decimal("31.00")),
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2025, 3, 15),
        )

        charge, _created = subscription_bill_month(subscription=subscription, period=MARCH)

        assert charge.amount == Decimal("15.00")


def test_billing_twice_posts_once(partner_a, in_schema):
    with in_schema(partner_a):
        # Given two subscriptions in force in March
        first = SubscriptionFactory(service=ServiceFactory(price_amount=Decimal("30.00")))
        SubscriptionFactory(service=ServiceFactory(price_amount=Decimal("12.00")))

        # When the billing job runs twice for March
        run_1 = charges_bill_month(period=MARCH)
        run_2 = charges_bill_month(period=dt.date(2025, 3, 17))

        # Then each subscription is charged once
        assert (run_1.billed, run_1.already_billed) == (2, 0)
        assert (run_2.billed, run_2.already_billed) == (0, 2)
        assert _charges(first.activity) == [Decimal("-30.000")]
        assert activity_balance(activity=first.activity) == Money(Decimal("-30.00"), "EUR")
        assert ServiceCharge.objects.count() == 2


def test_a_rerun_after_the_charge_row_is_lost_still_posts_once(partner_a, in_schema):
    with in_schema(partner_a):
        subscription = SubscriptionFactory(service=ServiceFactory(price_amount=Decimal("30.00")))
        charge, _ = subscription_bill_month(subscription=subscription, period=MARCH)
        # Simulate a lost bookkeeping row: the ledger's idempotency key still holds.
        ServiceCharge.objects.filter(pk=charge.pk).delete()

        again, created = subscription_bill_month(subscription=subscription, period=MARCH)

        assert created
        assert again.ledger_entry_id == charge.ledger_entry_id
        assert _charges(subscription.activity) == [Decimal("-30.000")]


def test_a_flat_yearly_price_is_spread_over_the_months(partner_a, in_schema):
    with in_schema(partner_a):
        subscription = SubscriptionFactory(
            service=ServiceFactory(pricing_model="flat_yearly", price_amount=Decimal("1200.00"))
        )

        charge, _ = subscription_bill_month(subscription=subscription, period=MARCH)

        assert charge.amount == Decimal("100.00")


def test_a_percentage_is_charged_on_the_turnover_collected_while_subscribed(partner_a, in_schema):
    with in_schema(partner_a):
        # Given a 2 % service subscribed from 10 March
        service = ServiceFactory(
            pricing_model="percentage", percentage=Decimal("2"), price_amount=None, currency=""
        )
        subscription = SubscriptionFactory(service=service, starts_on=dt.date(2025, 3, 10))
        activity = subscription.activity
        # and turnover collected before, during and after
        post(activity, "1000.00", booked_on=dt.date(2025, 3, 5))
        post(activity, "2000.00", booked_on=dt.date(2025, 3, 20))
        post(activity, "500.00", booked_on=dt.date(2025, 3, 31))
        post(activity, "9000.00", booked_on=dt.date(2025, 4, 1))
        post(activity, "-300.00", kind="fee", booked_on=dt.date(2025, 3, 20))

        # When March is billed
        charge, _ = subscription_bill_month(subscription=subscription, period=MARCH)

        # Then 2 % of 2,500.00
        assert charge.amount == Decimal("50.00")
        assert charge.rule["turnover"] == "2500.000"
        assert charge.rule["percentage"] == "2.0000"


def test_a_month_without_turnover_charges_nothing_and_posts_nothing(partner_a, in_schema):
    with in_schema(partner_a):
        service = ServiceFactory(
            pricing_model="percentage", percentage=Decimal("2"), price_amount=None, currency=""
        )
        subscription = SubscriptionFactory(service=service)

        charge, _ = subscription_bill_month(subscription=subscription, period=MARCH)

        assert charge.amount == 0
        assert charge.ledger_entry is None
        assert _charges(subscription.activity) == []


def test_per_use_services_are_charged_by_recorded_uses(partner_a, in_schema):
    with in_schema(partner_a):
        service = ServiceFactory(pricing_model="per_use", price_amount=Decimal("12.50"))
        subscription = SubscriptionFactory(service=service)
        service_use_record(subscription=subscription, used_on=dt.date(2025, 3, 3), quantity=2)
        service_use_record(subscription=subscription, used_on=dt.date(2025, 3, 28))
        service_use_record(subscription=subscription, used_on=dt.date(2025, 4, 2))

        charge, _ = subscription_bill_month(subscription=subscription, period=MARCH)

        assert charge.amount == Decimal("37.50")
        with pytest.raises(ServiceUseInvalid, match="already billed"):
            service_use_record(subscription=subscription, used_on=dt.date(2025, 3, 30))


def test_free_services_are_never_charged(partner_a, in_schema):
    with in_schema(partner_a):
        service = ServiceFactory(pricing_model="free", price_amount=None, currency="")
        subscription = SubscriptionFactory(service=service)

        run = charges_bill_month(period=MARCH)

        assert (run.billed, run.nothing_due) == (0, 1)
        assert _charges(subscription.activity) == []


def test_billing_stops_when_the_service_is_withdrawn(partner_a, in_schema):
    with in_schema(partner_a):
        service = ServiceFactory(
            price_amount=Decimal("31.00"), available_until=dt.date(2025, 3, 10)
        )
        subscription = SubscriptionFactory(service=service)

        charge, _ = subscription_bill_month(subscription=subscription, period=MARCH)

        assert charge.amount == Decimal("10.00")


def test_a_month_is_billed_only_once_it_is_over(partner_a, in_schema):
    with in_schema(partner_a):
        SubscriptionFactory()

        with pytest.raises(SubscriptionInvalid, match="not over yet"):
            charges_bill_month(period=MARCH, today=dt.date(2025, 3, 31))
        assert ServiceCharge.objects.count() == 0


def test_ending_a_subscription_inside_a_billed_month_is_refused(partner_a, in_schema):
    from services_catalog.local.services import subscription_end

    with in_schema(partner_a):
        subscription = SubscriptionFactory()
        subscription_bill_month(subscription=subscription, period=MARCH)

        with pytest.raises(SubscriptionInvalid, match="2025-03 is already billed"):
            subscription_end(subscription=subscription, ends_on=dt.date(2025, 3, 15), actor=None)


def test_a_swedish_member_subscribes_to_grant_help_in_sek_and_is_billed_once(
    api, partner_b, admin_b, member_login, in_schema
):
    # Given the Swedish partner offers grant help at 450 SEK a month
    service = (
        api(partner_b, admin_b)
        .post(
            "/api/v1/services/",
            {
                "code": "bidragshjalp",
                "reference_code": "grant_help",
                "name": {"sv": "Bidragshjälp", "en": "Grant help"},
                "pricing_model": "flat_monthly",
                "price_amount": "450.00",
                "available_from": "2025-01-01",
            },
            format="json",
        )
        .json()
    )
    # and a member subscribes from 16 March (16 of 31 days)
    user, _member, activity = member_login(partner_b, language="sv")
    client = api(partner_b, user)
    subscription = client.post(
        "/api/v1/subscriptions/",
        {"service": service["id"], "activity": activity.pk, "starts_on": "2025-03-16"},
        format="json",
    ).json()

    # When the billing job runs twice for March
    with in_schema(partner_b):
        charges_bill_month(period=MARCH)
        charges_bill_month(period=MARCH)

    # Then the member sees one charge of 450 × 16 / 31 = 232.26 SEK
    charges = client.get(f"/api/v1/subscriptions/{subscription['id']}/charges/").json()
    assert charges["count"] == 1
    assert charges["results"][0]["amount"] == "232.26"
    assert charges["results"][0]["currency"] == "SEK"
    with in_schema(partner_b):
        assert activity_balance(activity=activity) == Money(Decimal("-232.26"), "SEK")
        entry = LedgerEntry.objects.get(activity=activity, kind="service_charge")
        assert entry.description == "Bidragshjälp 2025-03"
