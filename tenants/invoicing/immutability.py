"""ORM guards that keep issued documents unchanged.

- ``LockedAfterDraftModel``: once a document (invoice, estimate) left ``draft`` in the
  database, only the fields its model lists in ``MUTABLE_AFTER_DRAFT`` may change; it can
  no longer be deleted.
- ``ChildOfLockedModel``: a line may be written or deleted only while its document is a
  draft.
- ``AppendOnlyModel``: written once (credit notes, their lines, payments).

Each guard covers instance ``save``/``delete`` and the queryset's ``update``, ``delete``,
``bulk_update`` (and ``bulk_create`` for lines). It raises ``InvoiceImmutable`` (409).
Services check first and give a more precise message; this is the safety net for any
other code path (admin, shell, a future import).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from tenants.invoicing.exceptions import InvoiceImmutable

DRAFT = "draft"


def _refuse(model, pk=None, fields=None) -> InvoiceImmutable:
    extra = {"model": model._meta.label}
    if pk is not None:
        extra["id"] = pk
    if fields:
        locked = _("Cannot change once the document is issued.")
        extra["fields"] = {field: [locked] for field in sorted(fields)}
    return InvoiceImmutable(extra=extra)


class LockedAfterDraftQuerySet(models.QuerySet):
    def _locked_rows(self) -> bool:
        return self.exclude(status=DRAFT).exists()

    def update(self, **kwargs):
        locked_fields = set(kwargs) - self.model.MUTABLE_AFTER_DRAFT
        if locked_fields and self._locked_rows():
            raise _refuse(self.model, fields=locked_fields)
        return super().update(**kwargs)

    def delete(self):
        if self._locked_rows():
            raise _refuse(self.model)
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        locked_fields = set(fields) - self.model.MUTABLE_AFTER_DRAFT
        pks = [obj.pk for obj in objs]
        if (
            locked_fields
            and self.model._base_manager.filter(pk__in=pks).exclude(status=DRAFT).exists()
        ):
            raise _refuse(self.model, fields=locked_fields)
        return super().bulk_update(objs, fields, batch_size=batch_size)


class LockedAfterDraftModel(models.Model):
    """See the module docstring. The subclass defines ``status`` and
    ``MUTABLE_AFTER_DRAFT`` (field names)."""

    MUTABLE_AFTER_DRAFT: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A guard, not domain logic: the stored state decides whether a change is allowed.
        stored_status = getattr(self, "_stored_status", None)
        if not self._state.adding and stored_status not in (None, DRAFT):
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                changed = set(update_fields) - self.MUTABLE_AFTER_DRAFT
            else:
                now = self._locked_values()
                changed = {
                    name for name, value in self._stored_values.items() if now.get(name) != value
                }
            if changed:
                raise _refuse(type(self), self.pk, changed)
        super().save(*args, **kwargs)
        self._remember_stored()

    def delete(self, *args, **kwargs):
        if getattr(self, "_stored_status", None) not in (None, DRAFT) or (
            self.pk and type(self)._base_manager.filter(pk=self.pk).exclude(status=DRAFT).exists()
        ):
            raise _refuse(type(self), self.pk)
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # Django 6.1 passes fetch_mode=…; 5.2 passes nothing.
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._remember_stored()
        return instance

    def _locked_values(self) -> dict:
        return {
            field.attname: getattr(self, field.attname, None)
            for field in self._meta.concrete_fields
            if field.name not in self.MUTABLE_AFTER_DRAFT and field.attname in self.__dict__
        }

    def _remember_stored(self) -> None:
        self._stored_status = self.__dict__.get("status")
        self._stored_values = self._locked_values()


class ChildOfLockedQuerySet(models.QuerySet):
    def _parent_field(self) -> str:
        return self.model.parent_field

    def _locked_rows(self) -> bool:
        return self.exclude(**{f"{self._parent_field()}__status": DRAFT}).exists()

    def _parents_locked(self, objs) -> bool:
        field = self.model._meta.get_field(self._parent_field())
        parent_ids = {getattr(obj, field.attname) for obj in objs}
        return (
            field.related_model._base_manager.filter(pk__in=parent_ids)
            .exclude(status=DRAFT)
            .exists()
        )

    def update(self, **kwargs):
        if self._locked_rows():
            raise _refuse(self.model, fields=set(kwargs))
        return super().update(**kwargs)

    def delete(self):
        if self._locked_rows():
            raise _refuse(self.model)
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        if self._parents_locked(objs):
            raise _refuse(self.model, fields=set(fields))
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if objs and self._parents_locked(objs):
            raise _refuse(self.model)
        return super().bulk_create(objs, *args, **kwargs)


class ChildOfLockedModel(models.Model):
    """A line of a ``LockedAfterDraftModel``; the subclass names its ``parent_field``."""

    parent_field = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._parent_locked():
            raise _refuse(type(self), self.pk)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._parent_locked():
            raise _refuse(type(self), self.pk)
        return super().delete(*args, **kwargs)

    def _parent_locked(self) -> bool:
        field = self._meta.get_field(self.parent_field)
        parent_id = getattr(self, field.attname)
        return field.related_model._base_manager.filter(pk=parent_id).exclude(status=DRAFT).exists()


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refuse(self.model, fields=set(kwargs))

    def delete(self):
        raise _refuse(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        raise _refuse(self.model, fields=set(fields))


class AppendOnlyModel(models.Model):
    """Written once, never changed nor deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise _refuse(type(self), self.pk)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse(type(self), self.pk)
