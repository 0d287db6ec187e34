"""Small numbers are people too: a two-member Academy tenant publishes its own accounting
totals, but neither member's pay nor work; and protected members are counted from the
country's rule, inside the schema. The rollup task runs for real on a worker."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django_tenants.utils import tenant_context

from shared.rollups.models import PartnerMonthFigures
from tenants.accounting.rollups import rollup_month_push
from tests.shared.rollups.scenario import JAN, client, invoice, member_with_activity, salary

INCOMES = ("3100", "770", "2050", "430")


def test_a_two_member_academy_reveals_neither_members_income(committed_partner, django_db_blocker):
    academy = committed_partner(country="US", tier="academy")
    with django_db_blocker.unblock():
        with tenant_context(academy):
            # Given two members: one invoices 3100 and is paid 2050, the other 770 and 430
            buyer = client()
            xena = member_with_activity("Xena", "62.01")
            yuri = member_with_activity("Yuri", "74.10")
            invoice(xena, buyer, "3100.00", issued=dt.date(2025, 1, 10))
            invoice(yuri, buyer, "770.00", issued=dt.date(2025, 1, 11))
            salary(xena, "2050.00", booked_on=dt.date(2025, 1, 25))
            salary(yuri, "430.00", booked_on=dt.date(2025, 1, 25))

            # When the month is pushed
            rollup_month_push(month=JAN)
        row = PartnerMonthFigures.objects.get(partner=academy, month=JAN)

    # Then the partner's turnover is there, and nothing about either member
    assert row.currency == "USD"
    assert row.turnover_invoiced == Decimal("3870.00")
    assert row.salary_mass is None
    assert row.turnover_by_sector == {"62": None, "74": None}
    assert row.activities is None
    assert row.activities_by_sector == {"62": None, "74": None}
    assert {"salary_mass", "turnover_by_sector.62", "turnover_by_sector.74"} <= set(row.suppressed)
    published = [
        str(value)
        for value in (
            *(getattr(row, f.attname) for f in row._meta.concrete_fields),
            *row.turnover_by_sector.values(),
        )
        if value is not None
    ]
    for income in INCOMES:
        assert not any(text.split(".")[0] == income for text in published), income
    # Nor derivable: the sector group has two unknowns under its published total.
    unknown = [k for k, v in row.turnover_by_sector.items() if v is None]
    assert len(unknown) == 2


def test_protected_members_follow_germanys_monthly_threshold(partner_a, in_schema, make_user):
    from tenants.labour_law.services import contract_create
    from tests.tenants.members.factories import post

    # Given three members paid above the threshold from January to April, a fourth
    # only in April (a run of one month does not protect)
    admin = make_user(partner_a, "admin")
    with in_schema(partner_a):
        activities = [member_with_activity(n, "62.01") for n in ("Ada", "Bo", "Cy", "Di")]
        for activity in activities:
            post(activity, "20000.00", booked_on=dt.date(2025, 1, 2))
        for month in (1, 2, 3, 4):
            for activity in activities[:3] if month < 4 else activities:
                start = dt.date(2025, month, 1)
                contract_create(
                    actor=admin,
                    activity=activity,
                    contract_type="employment",
                    start=start,
                    end=(start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1),
                    amount=Decimal("1500"),
                )

        rollup_month_push(month=dt.date(2025, 3, 1))
        rollup_month_push(month=dt.date(2025, 4, 1))

    march, april = PartnerMonthFigures.objects.filter(partner=partner_a).order_by("month")
    # March: three runs of three months, short of four: nobody is protected yet.
    assert march.protected_members == 0
    assert april.protected_members == 3
    assert april.members_by_contract_type == {"employment": 4}
    assert april.salary_mass == Decimal("5999.96")  # four employer costs of 1499.99


def test_protected_members_are_unavailable_without_a_monthly_rule(partner_b, in_schema):
    with in_schema(partner_b):
        rollup_month_push(month=JAN)

    row = PartnerMonthFigures.objects.get(partner=partner_b, month=JAN)
    assert row.protected_members is None
    assert "protected_members" in row.unavailable
    assert "protected_members" not in row.suppressed


@pytest.mark.committed
def test_the_task_runs_on_a_worker_in_the_partners_schema(committed_partner, django_db_blocker):
    from config.celery import app
    from tenants.accounting import tasks

    partner = committed_partner(country="AT", tier="open_smart")
    with django_db_blocker.unblock():
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with tenant_context(partner):
                member_with_activity("Ola", "62.01")
                outcome = tasks.rollup_month.delay(month="2025-01-15").get(timeout=20)
                again = tasks.rollup_month.delay(month="2025-01-15").get(timeout=20)
            refused = tasks.rollup_month.delay(month="2025-01-15").get(timeout=20)

        assert (outcome, again, refused) == ("created", "unchanged", None)
        deadline = time.monotonic() + 5
        while not PartnerMonthFigures.objects.filter(partner=partner).exists():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert list(PartnerMonthFigures.objects.values_list("partner", flat=True)) == [partner.pk]
