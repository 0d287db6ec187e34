"""Factories of the local catalogue (run inside a partner schema). Services made here skip
the service layer on purpose (to build states such as a missing translation); tests of
validation go through the services or the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.db import connection

from services_catalog.local.models import PricingModel, Service, Subscription
from tests.tenants.members.factories import ActivityFactory, MemberFactory  # noqa: F401


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"service_{n}")
    reference_code = ""
    name = factory.Sequence(lambda n: f"Service {n}")
    name_en = factory.LazyAttribute(lambda o: o.name)
    pricing_model = PricingModel.FLAT_MONTHLY
    price_amount = Decimal("30.00")
    currency = factory.LazyFunction(lambda: connection.tenant.currency)
    available_from = dt.date(2024, 1, 1)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    activity = factory.SubFactory(ActivityFactory)
    member = factory.LazyAttribute(lambda o: o.activity.member)
    service = factory.SubFactory(ServiceFactory)
    starts_on = dt.date(2025, 1, 1)
