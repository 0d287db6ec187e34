"""What the local catalogue tells the federation's charter.

A change that makes the partner stop offering a core service its tier requires (ending a
service's availability, moving its start later, changing the reference service it
implements) is refused by ``shared.charter.enforcement.check_core_services``, for every
day it would take effect on; a gap that already existed is a finding, not a refusal. After
every write the catalogue's reference services and their availability are pushed to the
public ``PartnerCharterState`` (tenant-side code, for its own partner only).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from common.tenancy import current_partner
from services_catalog.local.models import Service
from services_catalog.local.selectors import available_on
from shared.charter.enforcement import check_core_services
from shared.charter.services import charter_state_store


def services_schedule() -> list:
    """``[[reference_code, available_from, available_until or None], ...]`` of the
    services that implement a reference service (ISO dates), by code."""
    return [
        [
            s.reference_code,
            s.available_from.isoformat(),
            s.available_until and s.available_until.isoformat(),
        ]
        for s in Service.objects.exclude(reference_code="").order_by("code")
    ]


def catalogue_state_push() -> None:
    """Push this partner's catalogue to the federation (idempotent)."""
    charter_state_store(partner=current_partner(), services=services_schedule())


def _offers(service: Service, on: dt.date) -> bool:
    return bool(
        service.reference_code
        and service.available_from is not None
        and service.available_from <= on
        and (service.available_until is None or service.available_until >= on)
    )


def _offered(on: dt.date, *, exclude_pk, extra: Service | None) -> set[str]:
    codes = set(
        Service.objects.filter(available_on(on))
        .exclude(pk=exclude_pk)
        .exclude(reference_code="")
        .values_list("reference_code", flat=True)
    )
    if extra is not None and _offers(extra, on):
        codes.add(extra.reference_code)
    return codes


def catalogue_charter_check(service: Service) -> None:
    """Refuse ``service`` as changed in memory (not yet saved) when, from today on, it
    would stop covering a core service the partner's tier requires and that the
    catalogue as stored covers. Raises ``CharterBoundViolated`` naming the service, the
    day and the charter version. A new service only adds: nothing to check."""
    if service.pk is None:
        return
    stored = Service.objects.filter(pk=service.pk).first()
    if stored is None:
        return
    today = timezone.localdate()
    candidates = {today, stored.available_from, service.available_from}
    for until in (service.available_until,):
        if until is not None:
            candidates.add(until + dt.timedelta(days=1))
    partner = current_partner()
    for on in sorted(d for d in candidates if d is not None and d >= today):
        check_core_services(
            partner=partner,
            offered_before=_offered(on, exclude_pk=service.pk, extra=stored),
            offered_after=_offered(on, exclude_pk=service.pk, extra=service),
            on=on,
        )
