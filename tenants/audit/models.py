"""One audit trail for every money-relevant change in a partner's schema, and, in the
public schema, for the federation's own writes (``tenants.audit`` is both a tenant and a
shared app, so each schema has its own table; a partner's host reads only its own: its
schema comes first on the search path).

Rows are written by ``tenants.audit.services.audit_record`` inside the same transaction as
the change they describe, so a rolled-back change leaves no audit row and a committed one
always has one. Rows are never edited or deleted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.append_only import AppendOnlyModel


class AuditEntry(AppendOnlyModel):
    """Who did what to which object, when, with the values before and after.

    ``changes`` is ``{"field": {"before": x, "after": y}, ...}`` (JSON-safe values:
    decimals and dates as strings), or any JSON object the caller chose for actions that are
    not field edits (e.g. ``{"amount": "12.00", "currency": "EUR"}`` for a posting).
    """

    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_username or '-'} {self.action} {self.object_type}#{self.object_id}"
