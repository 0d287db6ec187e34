"""Celery tasks of the local catalogue.

Tenant tasks (``catalog.bill_month``, ``catalog.coverage_refresh``) run in the schema they
were sent from (tenant-schemas-celery stamps it on the message); the ``*_all`` tasks run in
the public schema and send one tenant task per active partner, from inside
``tenant_context(partner)``. Every task is idempotent: billing posts each month once per
subscription, coverage keeps one snapshot per partner and day.

Beat entries: ``BEAT_SCHEDULE``, merged into the Celery settings by ``config.celery``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from celery import shared_task
from celery.schedules import crontab
from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from common.months import add_months, month_start
from common.tenancy import current_partner
from services_catalog.local.services.billing import charges_bill_month
from services_catalog.local.services.coverage import coverage_push
from tenants.partners.tasks import send_to_each_partner

logger = logging.getLogger(__name__)

BEAT_SCHEDULE = {
    # Every night: each partner pushes its coverage aggregate to the federation.
    "catalog-coverage-refresh": {
        "task": "catalog.coverage_refresh_all",
        "schedule": crontab(hour=2, minute=30),
    },
    # On the 1st of each month: bill the month that just ended (re-runs are harmless).
    "catalog-bill-previous-month": {
        "task": "catalog.bill_month_all",
        "schedule": crontab(day_of_month="1", hour=3, minute=0),
    },
}


def _in_partner_schema(task_name: str) -> bool:
    if connection.schema_name == get_public_schema_name():
        logger.error("%s was sent from the public schema; it runs in a partner's.", task_name)
        return False
    return True


def _date(value: str | None, default: dt.date) -> dt.date:
    # Task arguments are ISO dates written by the fan-out or an operator; a malformed one
    # fails the task loudly rather than billing a default month.
    return dt.date.fromisoformat(value) if value else default


def previous_month(today: dt.date) -> dt.date:
    """The first day of the month before ``today``'s."""
    return add_months(month_start(today), -1)


@shared_task(name="catalog.bill_month", acks_late=True)
def bill_month(period: str | None = None) -> dict | None:
    """Bill this partner's subscriptions for ``period`` (YYYY-MM-DD, any day of the month;
    default: the previous month). Returns the run's counts."""
    if not _in_partner_schema("catalog.bill_month"):
        return None
    month = _date(period, previous_month(timezone.localdate()))
    run = charges_bill_month(period=month)
    logger.info("Billed %s in %s: %s", run.period, connection.schema_name, run)
    return dataclasses.asdict(run)


@shared_task(name="catalog.coverage_refresh", acks_late=True)
def coverage_refresh(as_of: str | None = None) -> dict | None:
    """Push this partner's coverage on ``as_of`` (default today) to the federation."""
    if not _in_partner_schema("catalog.coverage_refresh"):
        return None
    snapshot = coverage_push(as_of=_date(as_of, timezone.localdate()))
    return {
        "partner": current_partner().slug,
        "as_of": snapshot.as_of.isoformat(),
        "missing_core": snapshot.missing_core,
    }


def _fan_out(task, **kwargs) -> int:
    return send_to_each_partner(task.name, kwargs=kwargs)


@shared_task(name="catalog.coverage_refresh_all", acks_late=True)
def coverage_refresh_all(as_of: str | None = None) -> int:
    """Send ``catalog.coverage_refresh`` into every active partner's schema, all with the
    same date (default today). Returns how many were sent."""
    as_of = as_of or timezone.localdate().isoformat()
    return _fan_out(coverage_refresh, as_of=as_of)


@shared_task(name="catalog.bill_month_all", acks_late=True)
def bill_month_all(period: str | None = None) -> int:
    """Send ``catalog.bill_month`` into every active partner's schema for ``period``
    (default: the previous month). Returns how many were sent."""
    period = period or previous_month(timezone.localdate()).isoformat()
    return _fan_out(bill_month, period=period)
