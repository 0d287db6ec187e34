"""Celery tasks of the federation rollups (tenant side).

``accounting.rollup_month`` and ``accounting.rollup_rebuild`` run in the schema they were
sent from (tenant-schemas-celery stamps it on the message) and refuse to run in public.
Both are idempotent (an unchanged month is left untouched) and acknowledged late, so a
worker lost mid-run simply has the task run again.

Beat entry (``BEAT_SCHEDULE``, merged by ``config.celery``): every night,
``partners.for_each_partner`` sends ``accounting.rollup_rebuild`` into each active
partner's schema.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.schedules import crontab
from django.db import connection
from django_tenants.utils import get_public_schema_name

from common.dates import iso_date
from tenants.accounting.rollups import rollup_month_push, rollup_rebuild

logger = logging.getLogger(__name__)

BEAT_SCHEDULE = {
    # Every night, after the coverage refresh: each partner rebuilds its monthly figures.
    "accounting-rollups-nightly": {
        "task": "partners.for_each_partner",
        "schedule": crontab(hour=3, minute=15),
        "args": ["accounting.rollup_rebuild"],
    },
}


def _in_partner_schema(task_name: str) -> bool:
    if connection.schema_name == get_public_schema_name():
        logger.error("%s was sent from the public schema; it runs in a partner's.", task_name)
        return False
    return True


@shared_task(name="accounting.rollup_month", acks_late=True)
def rollup_month(month: str) -> str | None:
    """Push this partner's figures for ``month`` (YYYY-MM-DD, any day of the month).
    Returns the row's outcome (``created``, ``updated``, ``unchanged``, ``kept_newer``)."""
    if not _in_partner_schema("accounting.rollup_month"):
        return None
    # A malformed date fails the task loudly rather than pushing a default month.
    outcome = rollup_month_push(month=iso_date(month))
    logger.info("Rollup %s in %s: %s", month, connection.schema_name, outcome)
    return outcome


@shared_task(name="accounting.rollup_rebuild", acks_late=True)
def rollup_rebuild_task(until: str | None = None) -> dict | None:
    """Push every month of this partner's figures, up to ``until`` (YYYY-MM-DD; default
    today). Returns the count of each outcome."""
    if not _in_partner_schema("accounting.rollup_rebuild"):
        return None
    counts = rollup_rebuild(until=iso_date(until) if until else None)
    logger.info("Rollups rebuilt in %s: %s", connection.schema_name, counts)
    return counts
