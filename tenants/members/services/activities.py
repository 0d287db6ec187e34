"""Activities: what a member runs and invoices through the cooperative (each has its own
account, ``ledger``). Each service is one transaction and writes one audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.members.exceptions import ActivityInvalid
from tenants.members.models import Activity, ActivityStatus, Member, MemberStatus
from tenants.members.validation import IdentifierInvalid, nace_normalise

ACTIVITY_FIELDS = ("name", "sector", "description", "started_on")


def activity_clean(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (some of ``ACTIVITY_FIELDS``) trimmed, the sector checked as a NACE Rev. 2
    code and normalised. Raises ``ActivityInvalid``. Also the admin form's check."""
    cleaned = dict(data)
    errors: dict[str, list[str]] = {}
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            errors["name"] = [_("This field is required.")]
    if "sector" in cleaned:
        try:
            cleaned["sector"] = nace_normalise(cleaned["sector"])
        except IdentifierInvalid as exc:
            errors["sector"] = [str(exc)]
    if errors:
        raise ActivityInvalid(extra={"fields": errors})
    return cleaned


@transaction.atomic
def activity_create(*, member: Member, actor, **fields: Any) -> Activity:
    """Open an activity for ``member`` (not for an inactive member). ``fields``: ``name``,
    ``sector`` (NACE Rev. 2), optionally ``description``, ``started_on``.
    Raises ``ActivityInvalid``."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ActivityInvalid(extra={"fields": {f: [_("Unknown field.")] for f in sorted(unknown)}})
    if member.status == MemberStatus.INACTIVE:
        raise ActivityInvalid(
            _("An inactive member cannot open an activity."),
            {"fields": {"member": [_("The member is inactive.")]}},
        )
    fields.setdefault("name", "")
    fields.setdefault("sector", "")
    activity = Activity.objects.create(member=member, **activity_clean(fields))
    audit_record(
        actor=actor, action="activity.create", obj=activity, changes=audit_snapshot(activity)
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor, data: dict[str, Any]) -> Activity:
    """Change an activity's ``name``, ``sector``, ``description``, ``started_on`` or
    ``status`` (active, suspended, closed). Raises ``ActivityInvalid``."""
    allowed = set(ACTIVITY_FIELDS) | {"status"}
    unknown = set(data) - allowed
    if unknown:
        raise ActivityInvalid(extra={"fields": {f: [_("Not editable.")] for f in sorted(unknown)}})
    if "status" in data and data["status"] not in ActivityStatus.values:
        raise ActivityInvalid(
            extra={
                "fields": {
                    "status": [
                        _("One of %(values)s.") % {"values": ", ".join(ActivityStatus.values)}
                    ]
                }
            }
        )
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    before = audit_snapshot(activity, list(allowed))
    for key, value in activity_clean(data).items():
        setattr(activity, key, value)
    activity.save()
    changes = audit_diff(before, audit_snapshot(activity, list(allowed)))
    if changes:
        audit_record(actor=actor, action="activity.update", obj=activity, changes=changes)
    return activity
