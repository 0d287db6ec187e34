"""Celery tasks of the charter check.

``charter.check`` runs in one partner's schema (tenant-schemas-celery stamps it on the
message): it pushes the partner's bounded settings and catalogue to the public
``PartnerCharterState`` and syncs the partner's findings (``findings_sync``: opens what it
does not meet, resolves what it meets again; re-running changes nothing).
``charter.check_all`` runs in public (beat) and sends one per active partner.

Beat entries: ``BEAT_SCHEDULE``, merged into the Celery settings by ``config.celery``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from celery import shared_task
from celery.schedules import crontab
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from common.tenancy import current_partner
from services_catalog.local.services.charter import catalogue_state_push
from shared.charter.services import findings_sync
from tenants.partner_settings.charter import settings_state_push
from tenants.partners.tasks import send_to_each_partner

logger = logging.getLogger(__name__)

BEAT_SCHEDULE = {
    # Every night, after the coverage rollup: each partner checks itself against the charter.
    "charter-check": {"task": "charter.check_all", "schedule": crontab(hour=3, minute=15)},
}


def charter_check_here(*, today: dt.date) -> dict:
    """The check of the partner whose schema is active: push, then sync its findings.
    Returns ``{"partner", "opened", "updated", "resolved"}``."""
    partner = current_partner()
    with transaction.atomic():
        settings_state_push()
        catalogue_state_push()
        result = findings_sync(partner=partner, today=today)
    return {"partner": partner.slug, **dataclasses.asdict(result)}


@shared_task(name="charter.check", acks_late=True)
def charter_check(today: str | None = None) -> dict | None:
    """Check this partner against the charter as of ``today`` (ISO date; default today)."""
    if connection.schema_name == get_public_schema_name():
        logger.error("charter.check was sent from the public schema; it runs in a partner's.")
        return None
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    result = charter_check_here(today=day)
    logger.info("Charter check of %s: %s", result["partner"], result)
    return result


@shared_task(name="charter.check_all", acks_late=True)
def charter_check_all(today: str | None = None) -> int:
    """Send ``charter.check`` into every active partner's schema, all with the same date
    (default today). Returns how many were sent."""
    today = today or timezone.localdate().isoformat()
    return send_to_each_partner(charter_check.name, kwargs={"today": today})
