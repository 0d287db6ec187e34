"""Writes of the local catalogue, one module per seam:

- ``catalogue``: the partner's services (partner ``admin``);
- ``subscriptions``: members' subscriptions (staff, or a member for their own
  activities) and recorded uses of per-use services;
- ``billing``: monthly billing through the activity's ledger (the rules are in its
  docstring);
- ``coverage``: the coverage aggregate pushed to the federation.

Tenant code: the partner is ``common.tenancy.current_partner()`` (the schema the request
or task chose). Every write records who did what in the partner's audit trail. Other apps
import from this package; code inside the catalogue imports from the precise module.
"""

from __future__ import annotations

from services_catalog.local.services.billing import (
    LEDGER_KIND,
    BillingRun,
    charges_bill_month,
    idempotency_key,
    subscription_bill_month,
)
from services_catalog.local.services.catalogue import (
    required_language,
    service_check,
    service_create,
    service_save,
    service_update,
)
from services_catalog.local.services.coverage import coverage_push
from services_catalog.local.services.subscriptions import (
    service_use_record,
    subscription_create,
    subscription_end,
)

__all__ = [
    "LEDGER_KIND",
    "BillingRun",
    "charges_bill_month",
    "coverage_push",
    "idempotency_key",
    "required_language",
    "service_check",
    "service_create",
    "service_save",
    "service_update",
    "service_use_record",
    "subscription_bill_month",
    "subscription_create",
    "subscription_end",
]
