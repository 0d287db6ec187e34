"""Platform tasks: fanning a tenant task out to every partner whose schema is ready.

Beat runs in the public schema; a beat entry that concerns partners names
``partners.for_each_partner`` with the tenant task's name, and this task sends one copy per
active partner from inside that partner's schema (so tenant-schemas-celery stamps the
schema on it). A partner whose schema does not exist yet (creation in progress or failed)
is skipped, never run in public by mistake.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import connection
from django_tenants.utils import schema_exists, tenant_context

from tenants.partners.models import Partner, Status

logger = logging.getLogger(__name__)


def partners_ready(statuses: tuple[str, ...] = (Status.ACTIVE,)) -> list[Partner]:
    """Partners in ``statuses`` whose schema exists."""
    partners = Partner.objects.filter(status__in=statuses).order_by("slug")
    return [p for p in partners if schema_exists(p.schema_name)]


def send_to_each_partner(
    task_name: str,
    *,
    args: list | None = None,
    kwargs: dict | None = None,
    only: list[str] | None = None,
) -> int:
    """Send ``task_name`` once into each ready, active partner's schema (or only those whose
    slug is in ``only``); returns how many were sent. Call it from the public schema: a
    beat entry, a fan-out task, a command."""
    from config.celery import app

    connection.set_schema_to_public()
    sent = 0
    for partner in partners_ready():
        if only is not None and partner.slug not in only:
            continue
        with tenant_context(partner):
            app.send_task(task_name, args=args or [], kwargs=kwargs or {})
        sent += 1
    logger.info("Sent %s to %d partners.", task_name, sent)
    return sent


@shared_task(name="partners.for_each_partner", acks_late=True)
def for_each_partner(
    task_name: str,
    args: list | None = None,
    kwargs: dict | None = None,
    only: list[str] | None = None,
) -> int:
    """The beat-friendly form of ``send_to_each_partner``."""
    return send_to_each_partner(task_name, args=args, kwargs=kwargs, only=only)


@shared_task(name="partners.platform_info", ignore_result=False)
def platform_info() -> dict:
    """A worker's health answer: its OS (through the standard library's ``platform``, which
    the repository's ``platform/`` folder must not shadow) and the schema it ran in."""
    import platform

    return {
        "system": platform.system(),
        "python": platform.python_version(),
        "schema": connection.schema_name,
    }
