"""The partner whose schema the current request or task runs in.

``tenants/`` code never chooses a schema: the routing middleware (requests) or
tenant-schemas-celery (tasks) has already set it on the connection. This is the one place
that reads it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

from common.errors import PartnerRequired

if TYPE_CHECKING:
    from tenants.partners.models import Partner


def current_partner_or_none() -> Partner | None:
    """The active partner, or None on the federation (public) schema or the template."""
    tenant = getattr(connection, "tenant", None)
    # The public schema's FakeTenant and the template carry no country or currency.
    if tenant is None or not getattr(tenant, "currency", None):
        return None
    return tenant


def current_partner() -> Partner:
    """The active partner (a ``tenants.partners.models.Partner``).

    Raises ``PartnerRequired`` (400) when no partner schema is active, e.g. when a
    partner-side service is called on the federation host.
    """
    partner = current_partner_or_none()
    if partner is None:
        raise PartnerRequired()
    return partner
