"""Deleting on one side of the federation without reaching the other side's tables.

A model's table exists only in the schemas of its app's side: the public schema holds the
``SHARED_APPS`` tables, a partner's schema the ``TENANT_APPS`` ones (``common.accounts``
is on both). Django's deletion collector follows every reverse foreign key of the deleted
model, so deleting a headquarters user on the public schema would query partner-only
tables that point to users (``relation "members_member" does not exist``; the known
django-tenants limitation, django-tenants#592 and #962). The collectors here skip the
related models whose app is not on the connection's side: on a partner's schema, where
every partner-side table exists, they collect what Django's own collectors collect.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.utils import NestedObjects, quote
from django.db import connection, router
from django.db.models.deletion import Collector
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django_tenants.utils import app_labels, get_public_schema_name


def model_allowed_here(model) -> bool:
    """Whether ``model``'s table belongs to the schema the connection is on (its app is
    in ``SHARED_APPS`` on the public schema, in ``TENANT_APPS`` on a partner's)."""
    on_public = connection.schema_name == get_public_schema_name()
    side = settings.SHARED_APPS if on_public else settings.TENANT_APPS
    return model._meta.app_label in app_labels(side)


class _OnThisSide:
    """A collector mixin: the rows of a related model that is not on the connection's
    side are an empty set, found without a query (its table is not in this schema)."""

    def related_objects(self, related_model, related_fields, objs):
        if not model_allowed_here(related_model):
            return related_model._base_manager.using(self.using).none()
        return super().related_objects(related_model, related_fields, objs)


class SchemaAwareCollector(_OnThisSide, Collector):
    """Django's deletion ``Collector``, limited to the connection's side."""


class SchemaAwareNestedObjects(_OnThisSide, NestedObjects):
    """The admin's ``NestedObjects`` (its delete confirmation), limited to the side."""


def delete_queryset(queryset) -> tuple[int, dict[str, int]]:
    """Delete ``queryset``'s rows and what cascades from them on this side, as
    ``QuerySet.delete()`` does (same checks, same answer: the number of rows deleted and
    that number per model label)."""
    queryset._not_support_combined_queries("delete")
    if queryset.query.is_sliced:
        raise TypeError("Cannot use 'limit' or 'offset' with delete().")
    if queryset.query.distinct_fields:
        raise TypeError("Cannot call delete() after .distinct(*fields).")
    if queryset._fields is not None:
        raise TypeError("Cannot call delete() after .values() or .values_list()")
    del_query = queryset._chain()
    del_query._for_write = True
    del_query.query.select_for_update = False
    del_query.query.select_related = False
    del_query.query.clear_ordering(force=True)
    collector = SchemaAwareCollector(using=del_query.db, origin=queryset)
    collector.collect(del_query)
    deleted = collector.delete()
    queryset._result_cache = None
    return deleted


def delete_instance(instance, *, using=None, keep_parents=False) -> tuple[int, dict[str, int]]:
    """Delete ``instance`` and what cascades from it on this side, as ``Model.delete()``
    does. Raises ``ValueError`` for an unsaved instance."""
    if not instance._is_pk_set():
        raise ValueError(
            f"{instance._meta.object_name} object can't be deleted because its "
            f"{instance._meta.pk.attname} attribute is set to None."
        )
    using = using or router.db_for_write(instance.__class__, instance=instance)
    collector = SchemaAwareCollector(using=using, origin=instance)
    collector.collect([instance], keep_parents=keep_parents)
    return collector.delete()


def get_deleted_objects(objs, request, admin_site):
    """``django.contrib.admin.utils.get_deleted_objects`` with the side-limited collector:
    → (the nested list of what would be deleted, {verbose name plural: count}, the
    verbose names the user may not delete, the protected objects)."""
    try:
        obj = objs[0]
    except IndexError:
        return [], {}, set(), []
    using = router.db_for_write(obj._meta.model)
    collector = SchemaAwareNestedObjects(using=using, origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def format_callback(obj):
        model = obj.__class__
        opts = obj._meta
        no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.is_registered(model):
            return no_edit_link
        if not admin_site.get_model_admin(model).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            admin_url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                None,
                (quote(obj.pk),),
            )
        except NoReverseMatch:
            return no_edit_link
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), admin_url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {
        model._meta.verbose_name_plural: len(objs) for model, objs in collector.model_objs.items()
    }
    return to_delete, model_count, perms_needed, protected
