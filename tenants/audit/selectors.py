"""Reading the audit trail."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from tenants.audit.models import AuditEntry


def audit_entries_for(*, obj: models.Model) -> QuerySet[AuditEntry]:
    """Audit rows about ``obj``, newest first."""
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("-at", "-id")


def audit_entry_list(
    *, object_type: str | None = None, object_id: str | None = None, action: str | None = None
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-at", "-id")
