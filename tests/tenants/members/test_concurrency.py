"""Idempotent posting holds under concurrency: jobs racing with one key post once."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from common.money import Money
from tenants.members.models import Activity, LedgerEntry, Member
from tenants.members.services import ledger_post


@pytest.mark.committed
def test_racing_jobs_with_one_idempotency_key_post_once(committed_partner, django_db_blocker):
    partner = committed_partner(country="DE", tier="open_smart")
    with django_db_blocker.unblock():
        connection.set_tenant(partner)
        member = Member.objects.create(first_name="R", last_name="Ace")
        activity = Activity.objects.create(member=member, name="Race", sector="62")
        connection.set_schema_to_public()

    barrier = threading.Barrier(8)
    results, errors = [], []

    def job():
        with django_db_blocker.unblock():
            try:
                connection.set_tenant(partner)
                barrier.wait()
                entry = ledger_post(
                    activity=activity,
                    kind="fee",
                    amount=Money(Decimal("-7.00"), "EUR"),
                    booked_on=dt.date(2026, 1, 1),
                    description="fee",
                    idempotency_key="payment.1.fee",
                )
                results.append(entry.pk)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    with django_db_blocker.unblock():
        connection.set_tenant(partner)
        assert LedgerEntry.objects.filter(activity=activity).count() == 1
        connection.set_schema_to_public()
