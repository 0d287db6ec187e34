"""The catalogue's Celery tasks on a real worker, with real commits: the coverage fan-out
reaches each partner's schema, and billing twice posts once."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django_tenants.utils import tenant_context

from config.celery import app
from services_catalog.local import tasks
from services_catalog.reference.models import CoverageSnapshot

pytestmark = pytest.mark.committed


@pytest.fixture
def worker(django_db_blocker):
    with django_db_blocker.unblock():
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
        # The fan-out also reached the session partners: leave the rollup as it was.
        CoverageSnapshot.objects.all().delete()


def _wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_coverage_refresh_all_pushes_each_partners_aggregate(
    committed_partner, worker, django_db_blocker
):
    from tests.services_catalog.factories import ServiceFactory, SubscriptionFactory

    offering = committed_partner(country="AT", tier="open_smart")
    lacking = committed_partner(country="IT", tier="open_smart")
    with django_db_blocker.unblock():
        with tenant_context(offering):
            invoicing = ServiceFactory(code="invoicing_at", reference_code="invoicing")
            ServiceFactory(code="salary_at", reference_code="salary_conversion")
            SubscriptionFactory(service=invoicing, starts_on=dt.date(2025, 1, 1))
        with tenant_context(lacking):
            ServiceFactory(code="invoicing_it", reference_code="invoicing")

        # When beat's entry runs (sent from the public schema)
        sent = tasks.coverage_refresh_all.delay(as_of="2025-06-01").get(timeout=20)

        # Then every active partner pushed its own aggregate
        assert sent >= 2
        assert _wait_for(
            lambda: CoverageSnapshot.objects.filter(partner__in=[offering, lacking]).count() == 2
        )
        complete = CoverageSnapshot.objects.get(partner=offering)
        assert complete.missing_core == []
        assert complete.subscriber_counts == {"invoicing": 1}
        assert CoverageSnapshot.objects.get(partner=lacking).missing_core == ["salary_conversion"]


def test_the_billing_task_run_twice_posts_once(committed_partner, worker, django_db_blocker):
    from tenants.members.models import LedgerEntry
    from tests.services_catalog.factories import ServiceFactory, SubscriptionFactory

    partner = committed_partner(country="SE", tier="social_franchise")
    with django_db_blocker.unblock():
        with tenant_context(partner):
            subscription = SubscriptionFactory(
                service=ServiceFactory(code="grant_help_se", price_amount=Decimal("450.00")),
                starts_on=dt.date(2025, 3, 16),
            )
            # When the job is sent twice for March from the partner's schema
            first = tasks.bill_month.delay(period="2025-03-01").get(timeout=20)
            second = tasks.bill_month.delay(period="2025-03-01").get(timeout=20)

            # Then March is billed once
            assert (first["billed"], second["already_billed"]) == (1, 1)
            amounts = list(
                LedgerEntry.objects.filter(
                    activity=subscription.activity, kind="service_charge"
                ).values_list("amount", "currency")
            )
            assert amounts == [(Decimal("-232.260"), "SEK")]


def test_a_tenant_task_sent_from_the_public_schema_does_nothing(worker, django_db_blocker):
    with django_db_blocker.unblock():
        assert tasks.bill_month.delay(period="2025-03-01").get(timeout=20) is None


def test_beat_schedule_names_registered_tasks():
    for entry in tasks.BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
