"""Append-only models: rows may be inserted, never updated or deleted through the ORM.

Used by the audit trail and the activity ledger. The guard is in the ORM (instance
``save``/``delete`` and queryset ``update``/``delete``/``bulk_update``). A database-level
guard (a trigger refusing UPDATE/DELETE) would be stronger, but the template capture in
``tenants.partners.template`` refuses schemas with triggers; see the report of issue 4.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.errors import Conflict


class ImmutableRecord(Conflict):
    code = "immutable_record"
    default_message = _("This record is immutable: post a correction instead.")


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(extra={"model": self.model._meta.label})

    def delete(self):
        raise ImmutableRecord(extra={"model": self.model._meta.label})

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecord(extra={"model": self.model._meta.label})

    def update_or_create(self, *args, **kwargs):
        raise ImmutableRecord(extra={"model": self.model._meta.label})

    _raw_delete = delete


class ImmutableModelMixin:
    """Refuse to save an existing row again and to delete any row."""

    def save(self, *args, **kwargs):
        # Guard only, no domain logic: an existing row is never written twice.
        if not self._state.adding:
            raise ImmutableRecord(extra={"model": self._meta.label, "id": self.pk})
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(extra={"model": self._meta.label, "id": self.pk})
