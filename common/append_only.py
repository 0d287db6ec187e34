"""Append-only rows: inserted once, never updated, never deleted.

The activity ledger (``tenants.members.LedgerEntry``), the guarantee fund's movements
(``tenants.payroll.FundMovement``) and the audit trail (``tenants.audit.AuditEntry``) are
records of what happened: a mistake is put right by a correcting row, never by editing
one. Two guards keep them so, and both raise for every path:

- in the ORM, ``AppendOnlyModel`` refuses ``save()`` of a stored row and ``delete()``, and
  its manager's queryset refuses ``update``, ``delete``, ``bulk_update``,
  ``update_or_create`` and upserts (``bulk_create(update_conflicts=True)``): each raises
  ``ImmutableRecord`` (409, code ``immutable_record``);
- in the database, a ``BEFORE UPDATE OR DELETE`` trigger calling
  ``public.essaim_immutable_row()`` (``tenants.partners`` migration 0003) refuses raw SQL
  too, with an ``IntegrityError``. Each concrete model installs it with
  ``immutable_trigger(table)`` in a migration of its app; the template-schema capture
  replays the trigger into every new partner (the function lives in public).
"""

from __future__ import annotations

from django.conf import settings
from django.db import migrations, models
from django.utils.translation import gettext_lazy as _

from common.errors import Conflict


class ImmutableRecord(Conflict):
    """An append-only row was about to be changed or deleted; ``extra`` names the model
    (``"members.LedgerEntry"``) and, when known, the row's ``id``."""

    code = "immutable_record"
    default_message = _("This record is immutable: post a correction instead.")


def _refusal(model, pk=None) -> ImmutableRecord:
    extra: dict = {"model": model._meta.label}
    if pk is not None:
        extra["id"] = pk
    return ImmutableRecord(extra=extra)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refusal(self.model)

    def delete(self):
        raise _refusal(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        raise _refusal(self.model)

    def update_or_create(self, *args, **kwargs):
        raise _refusal(self.model)

    def bulk_create(self, objs, *args, **kwargs):
        # An upsert (INSERT ... ON CONFLICT DO UPDATE) rewrites existing rows.
        if kwargs.get("update_conflicts"):
            raise _refusal(self.model)
        return super().bulk_create(objs, *args, **kwargs)

    _raw_delete = delete


class AppendOnlyGuard:
    """The instance half of the guard, as a plain mixin: historical models in migrations
    name it among their bases (an abstract model cannot appear there)."""

    def save(self, *args, **kwargs):
        # A guard, not domain logic: a stored row is never written twice, and a new one is
        # always an INSERT (never an UPDATE of a row that happens to have the same id).
        if (
            not self._state.adding
            or kwargs.get("force_update")
            or kwargs.get("update_fields") is not None
        ):
            raise _refusal(type(self), self.pk)
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refusal(type(self), self.pk)


class AppendOnlyModel(AppendOnlyGuard, models.Model):
    """Base of every append-only model (see the module docstring). Its table needs the
    trigger too: ``migrations.RunSQL`` from ``immutable_trigger(table)``."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True


class LedgerRow(AppendOnlyModel):
    """A dated line of an account kept as an append-only ledger (an activity's account, the
    guarantee fund): what both have in common. The subclass adds its ``kind``, its signed
    amount(s) (Decimal, in ``currency``, ISO 4217) and what the row points at.

    ``rule`` explains the computation (JSON, shown line by line); ``idempotency_key``
    (unique when set) makes a retried job post once; ``created_by`` is None for a task.
    """

    currency = models.CharField(_("currency"), max_length=3)
    booked_on = models.DateField(_("booked on"))
    description = models.CharField(_("description"), max_length=255)
    rule = models.JSONField(_("computation"), default=dict, blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["booked_on", "id"]


def immutable_trigger(table: str) -> migrations.RunSQL:
    """The migration operation that installs (and, reversed, drops) the database guard of
    ``table``: trigger ``<table>_immutable`` calling ``public.essaim_immutable_row()``.
    The migration must depend on ``("partners", "0003_immutable_row_function")``."""
    return migrations.RunSQL(
        f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION public.essaim_immutable_row();",
        f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};",
    )
