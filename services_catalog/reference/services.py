"""Writes of the reference catalogue (``hq_admin``) and of the coverage rollup (partners'
own tasks, aggregates only).

Every write of the catalogue records who did what in the federation's audit trail (the
``tenants.audit`` table of the public schema, where these run): ``reference_service.create``
and ``.update``, ``tier_requirement.create`` and ``.update``. The coverage rollup is not
audited: it is derived data that each partner's nightly task replaces.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from services_catalog.reference.exceptions import (
    ReferenceServiceExists,
    ReferenceServiceInvalid,
    RequirementInvalid,
    RequirementOverlap,
)
from services_catalog.reference.models import (
    CODE_PATTERN,
    Category,
    CoverageSnapshot,
    Level,
    ReferenceService,
    TierRequirement,
)
from services_catalog.translated import LANGUAGES, save_in_language, translation_values
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.partners.models import Partner, Tier

# What a reference service's audit rows show: its code, category and every translation.
SERVICE_AUDITED = [
    "code",
    "category",
    *(f"{field}_{language}" for field in ("name", "description") for language in LANGUAGES),
]
REQUIREMENT_AUDITED = ["service", "tier", "level", "effective_from", "effective_until", "note"]


def _one_of(values) -> str:
    return gettext("One of %(values)s.") % {"values": ", ".join(values)}


def _apply_texts(service: ReferenceService, names: dict | None, descriptions: dict | None):
    for attr, value in {
        **translation_values("name", names),
        **translation_values("description", descriptions),
    }.items():
        setattr(service, attr, value)
    if not (service.name_en or "").strip():
        raise ReferenceServiceInvalid(
            gettext("A reference service needs an English name."),
            {"fields": {"name": [gettext("English (en) is required.")]}},
        )


@transaction.atomic
def reference_service_create(
    *,
    actor,
    code: str,
    category: str,
    name: dict[str, str],
    description: dict[str, str] | None = None,
) -> ReferenceService:
    """Create a reference service; ``actor`` (an HQ user, None for a command) is recorded
    in the audit row. ``name``/``description`` map languages to text (``{"en":
    "Advances", "fr": "Avances"}``); English is required.

    Raises ``ReferenceServiceInvalid`` (bad code, category or language) or
    ``ReferenceServiceExists``.
    """
    code = (code or "").strip()
    if not re.match(CODE_PATTERN, code):
        raise ReferenceServiceInvalid(
            gettext(
                "Invalid code %(code)s: lowercase letters, digits and underscores, starting with "
                "a letter."
            )
            % {"code": repr(code)},
            {
                "fields": {
                    "code": [
                        gettext("Use lowercase letters, digits and underscores (e.g. grant_help).")
                    ]
                }
            },
        )
    if category not in Category.values:
        raise ReferenceServiceInvalid(
            gettext("Unknown category %(category)s.") % {"category": repr(category)},
            {"fields": {"category": [_one_of(Category.values)]}},
        )
    if ReferenceService.objects.filter(code=code).exists():
        raise ReferenceServiceExists(
            extra={"fields": {"code": [gettext("%(code)s is already used.") % {"code": code}]}}
        )
    service = ReferenceService(code=code, category=category)
    _apply_texts(service, name, description)
    save_in_language(service, "en")
    _audit(actor, "reference_service.create", service, None, SERVICE_AUDITED)
    return service


@transaction.atomic
def reference_service_update(
    *,
    service: ReferenceService,
    actor,
    category: str | None = None,
    name: dict[str, str | None] | None = None,
    description: dict[str, str | None] | None = None,
) -> ReferenceService:
    """Change a service's category or texts; the code never changes. Languages given are
    set (``None`` or ``""`` clears one), languages not given are kept. The audit row holds
    what changed (none when nothing did)."""
    service = ReferenceService.objects.select_for_update().get(pk=service.pk)
    before = audit_snapshot(service, SERVICE_AUDITED)
    if category is not None:
        if category not in Category.values:
            raise ReferenceServiceInvalid(
                gettext("Unknown category %(category)s.") % {"category": repr(category)},
                {"fields": {"category": [_one_of(Category.values)]}},
            )
        service.category = category
    _apply_texts(service, name, description)
    save_in_language(service, "en")
    _audit(actor, "reference_service.update", service, before, SERVICE_AUDITED)
    return service


def check_requirement(
    *,
    service: ReferenceService,
    tier: str,
    level: str,
    start: dt.date,
    end: dt.date | None,
    exclude_pk: int | None = None,
) -> None:
    """Refuse a requirement with an unknown tier or level, a period ending before it
    starts, or one overlapping another requirement of ``service`` for ``tier`` (checked
    under a lock on the service). Raises ``RequirementInvalid`` or ``RequirementOverlap``;
    the admin form calls it too."""
    if tier not in Tier.values:
        raise RequirementInvalid(
            gettext("Unknown tier %(tier)s.") % {"tier": repr(tier)},
            {"fields": {"tier": [_one_of(Tier.values)]}},
        )
    if level not in Level.values:
        raise RequirementInvalid(
            gettext("Unknown level %(level)s.") % {"level": repr(level)},
            {"fields": {"level": [_one_of(Level.values)]}},
        )
    if end is not None and end < start:
        raise RequirementInvalid(
            gettext("A requirement cannot end before it starts."),
            {"fields": {"effective_until": [gettext("Must be on or after effective_from.")]}},
        )
    # Lock the service so two concurrent writes cannot both pass the overlap check.
    ReferenceService.objects.select_for_update().filter(pk=service.pk).first()
    others = TierRequirement.objects.filter(service=service, tier=tier)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others:
        other_end = other.effective_until or dt.date.max
        if other.effective_from <= (end or dt.date.max) and start <= other_end:
            raise RequirementOverlap(
                gettext(
                    "%(service)s already has a %(level)s requirement for %(tier)s from %(start)s "
                    "to %(end)s; end it first."
                )
                % {
                    "service": service.code,
                    "level": other.level,
                    "tier": tier,
                    "start": other.effective_from,
                    "end": other.effective_until or gettext("open end"),
                },
                {
                    "fields": {"effective_from": [gettext("Overlaps an existing requirement.")]},
                    "existing": other.pk,
                },
            )


@transaction.atomic
def tier_requirement_create(
    *,
    actor,
    service: ReferenceService,
    tier: str,
    level: str,
    effective_from: dt.date,
    effective_until: dt.date | None = None,
    note: str = "",
) -> TierRequirement:
    """Add a dated requirement: partners of ``tier`` must (``core``) or may
    (``optional``) offer ``service`` from ``effective_from`` to ``effective_until``
    (inclusive; None = open-ended). To change a requirement, end the current row
    (``tier_requirement_update``) and add a new one: history is kept.

    Raises ``RequirementInvalid`` or ``RequirementOverlap``.
    """
    check_requirement(
        service=service, tier=tier, level=level, start=effective_from, end=effective_until
    )
    requirement = TierRequirement.objects.create(
        service=service,
        tier=tier,
        level=level,
        effective_from=effective_from,
        effective_until=effective_until,
        note=note,
    )
    _audit(actor, "tier_requirement.create", requirement, None, REQUIREMENT_AUDITED)
    return requirement


@transaction.atomic
def tier_requirement_update(*, requirement: TierRequirement, actor, **changes) -> TierRequirement:
    """Change ``level``, ``effective_from``, ``effective_until`` or ``note`` of a
    requirement (usually: set ``effective_until`` to end it). Same checks as create."""
    requirement = TierRequirement.objects.select_for_update().get(pk=requirement.pk)
    before = audit_snapshot(requirement, REQUIREMENT_AUDITED)
    allowed = {"level", "effective_from", "effective_until", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise RequirementInvalid(
            gettext("These fields cannot change: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            {"fields": {field: [gettext("Read-only.")] for field in sorted(unknown)}},
        )
    for field, value in changes.items():
        setattr(requirement, field, value)
    check_requirement(
        service=requirement.service,
        tier=requirement.tier,
        level=requirement.level,
        start=requirement.effective_from,
        end=requirement.effective_until,
        exclude_pk=requirement.pk,
    )
    requirement.save()
    _audit(actor, "tier_requirement.update", requirement, before, REQUIREMENT_AUDITED)
    return requirement


@transaction.atomic
def reference_service_save(*, service: ReferenceService, actor) -> ReferenceService:
    """Store ``service`` as the admin's form left it (untranslated columns from English),
    recording ``reference_service.create`` or ``.update`` with what changed."""
    stored = ReferenceService.objects.filter(pk=service.pk).first() if service.pk else None
    before = audit_snapshot(stored, SERVICE_AUDITED) if stored is not None else None
    save_in_language(service, "en")
    action = "reference_service.create" if before is None else "reference_service.update"
    _audit(actor, action, service, before, SERVICE_AUDITED)
    return service


@transaction.atomic
def tier_requirement_save(*, requirement: TierRequirement, actor) -> TierRequirement:
    """Store ``requirement`` as the admin's form left it (the form already ran the checks),
    recording ``tier_requirement.create`` or ``.update`` with what changed."""
    stored = TierRequirement.objects.filter(pk=requirement.pk).first() if requirement.pk else None
    before = audit_snapshot(stored, REQUIREMENT_AUDITED) if stored is not None else None
    requirement.save()
    action = "tier_requirement.create" if before is None else "tier_requirement.update"
    _audit(actor, action, requirement, before, REQUIREMENT_AUDITED)
    return requirement


@transaction.atomic
def tier_requirement_delete(*, requirement: TierRequirement, actor) -> None:
    """Delete a requirement entered by mistake (to end one, set its ``effective_until``),
    recording ``tier_requirement.delete`` with what it was."""
    audit_record(
        actor=actor,
        action="tier_requirement.delete",
        obj=requirement,
        changes=audit_snapshot(requirement, REQUIREMENT_AUDITED),
    )
    requirement.delete()


def _audit(actor, action: str, obj, before: dict | None, fields: list[str]) -> None:
    """One audit row: the object's ``fields`` for a creation, what changed for an update
    (no row when nothing did)."""
    after = audit_snapshot(obj, fields)
    changes = after if before is None else audit_diff(before, after)
    if before is None or changes:
        audit_record(actor=actor, action=action, obj=obj, changes=changes)


@transaction.atomic
def coverage_snapshot_store(
    *,
    partner: Partner,
    as_of: dt.date,
    tier: str,
    codes_offered: list[str],
    subscriber_counts: dict[str, int],
    core_required: list[str],
    missing_core: list[str],
) -> CoverageSnapshot:
    """Write (or replace) ``partner``'s coverage on ``as_of`` in the public rollup table.
    Idempotent: one row per partner and day. Only aggregates are accepted: codes and
    integer counts."""
    counts = {str(code): int(count) for code, count in subscriber_counts.items()}
    snapshot, _created = CoverageSnapshot.objects.update_or_create(
        partner=partner,
        as_of=as_of,
        defaults={
            "tier": tier,
            "codes_offered": sorted(codes_offered),
            "subscriber_counts": dict(sorted(counts.items())),
            "core_required": sorted(core_required),
            "missing_core": sorted(missing_core),
            "computed_at": timezone.now(),
        },
    )
    return snapshot
