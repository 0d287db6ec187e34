"""Celery runs real tasks on a real worker, each inside the schema it was sent from."""

import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import Group
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from config.celery import app


@app.task(name="tests.record_group")
def record_group(name: str) -> str:
    # Idempotent: running twice leaves one row.
    Group.objects.get_or_create(name=name)
    return connection.schema_name


@app.task(name="tests.record_delivery")
def record_delivery(label: str) -> str:
    # Not idempotent on purpose: every delivery leaves its own row, so a second shows.
    Group.objects.create(name=f"{label}:{uuid.uuid4().hex}")
    return connection.schema_name


@app.task(name="tests.barrier")
def barrier() -> None:
    """Does nothing; once its result is in, the single solo worker has run every task sent
    before it (one FIFO queue)."""


@pytest.fixture
def worker(django_db_blocker):
    with django_db_blocker.unblock():
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield


def test_task_runs_in_the_schema_it_was_sent_from(committed_partner, worker, django_db_blocker):
    first = committed_partner(country="BE")
    second = committed_partner(country="FR")

    with django_db_blocker.unblock():
        with tenant_context(second):
            ran_in_second = record_group.delay("sent-from-second").get(timeout=20)
        with tenant_context(first):
            ran_in_first = record_group.delay("sent-from-first").get(timeout=20)

        assert ran_in_second == second.schema_name
        assert ran_in_first == first.schema_name
        with tenant_context(first):
            assert list(Group.objects.values_list("name", flat=True)) == ["sent-from-first"]
        with tenant_context(second):
            assert list(Group.objects.values_list("name", flat=True)) == ["sent-from-second"]
        with schema_context("public"):
            assert not Group.objects.filter(name__startswith="sent-from").exists()


def test_fan_out_reaches_each_ready_partner_once(committed_partner, worker, django_db_blocker):
    from tenants.partners.services import partner_suspend
    from tenants.partners.tasks import for_each_partner

    active = committed_partner(country="IT")
    suspended = committed_partner(country="ES")
    with django_db_blocker.unblock():
        partner_suspend(partner=suspended, reason="test")

        sent = for_each_partner.delay(
            "tests.record_delivery", args=["nightly"], only=[active.slug, suspended.slug]
        ).get(timeout=20)
        barrier.delay().get(timeout=20)

        assert sent == 1
        with tenant_context(active):
            assert Group.objects.filter(name__startswith="nightly:").count() == 1
        with tenant_context(suspended):
            assert Group.objects.filter(name__startswith="nightly:").count() == 0


def test_beat_schedule_names_only_registered_tasks():
    app.finalize()
    schedule = app.conf.beat_schedule
    assert schedule, "beat has nothing to run"
    for name, entry in schedule.items():
        assert entry["task"] in app.tasks, name
