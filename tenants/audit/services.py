"""Writing the audit trail.

Every money-relevant service calls ``audit_record`` in its own transaction (services are
``@transaction.atomic``), so the audit row commits or rolls back with the change.

Typical use::

    before = audit_snapshot(invoice, ["status", "amount_due"])
    ... change invoice ...
    audit_record(actor=user, action="invoice.issue", obj=invoice,
                 changes=audit_diff(before, audit_snapshot(invoice, ["status", "amount_due"])))
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import connections, models, router

from common.accounts.acting import saved_user
from common.money import Money
from tenants.audit.models import AuditEntry


def audit_jsonable(value: Any) -> Any:
    """A JSON-safe copy of ``value``: decimals and dates become strings, Money becomes
    ``{"amount": "12.00", "currency": "EUR"}``, model instances their primary key."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): audit_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [audit_jsonable(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or None
    return str(value)


def audit_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """``{field: value}`` of ``obj`` for ``fields`` (default: every concrete field), JSON-safe.
    Foreign keys are read as their id (``activity`` → value of ``activity_id``)."""
    result: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        result[field.name] = audit_jsonable(getattr(obj, field.attname))
    return result


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {"before": b, "after": a}}`` for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in keys
        if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    object_type: str | None = None,
    object_id: Any = None,
) -> AuditEntry:
    """Append one audit row: ``actor`` (a User, or None for the system/a job), ``action``
    (a dotted verb such as ``"ledger.post"`` or ``"invoice.issue"``), the object (``obj``,
    or ``object_type`` + ``object_id`` when there is no instance) and ``changes`` (any JSON
    object; values are made JSON-safe here).

    Call it inside the transaction of the change it records.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    user = saved_user(actor)
    actor_id = user.pk if user is not None else None
    username = getattr(actor, "username", "") if actor is not None else "system"
    entry = AuditEntry(
        actor_id=actor_id,
        actor_username=username or "",
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        changes=audit_jsonable(changes or {}),
    )
    _insert(entry)
    return entry


# Every money-relevant write appends at least one audit row, so the INSERT is built once per
# process from the model's fields instead of being compiled by the ORM on every call
# (three times the cost of running it). Values still go through each field's
# ``pre_save``/``get_db_prep_save``, as ``Model.save`` does; AuditEntry has no signal
# receivers and its only save() override is the append-only guard, which allows inserts.
_INSERT_FIELDS = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
_INSERT_SQL = 'INSERT INTO "{table}" ({columns}) VALUES ({values}) RETURNING "{pk}"'.format(
    table=AuditEntry._meta.db_table,
    columns=", ".join(f'"{field.column}"' for field in _INSERT_FIELDS),
    values=", ".join(["%s"] * len(_INSERT_FIELDS)),
    pk=AuditEntry._meta.pk.column,
)


def _insert(entry: AuditEntry) -> None:
    connection = connections[router.db_for_write(AuditEntry)]
    params = [
        field.get_db_prep_save(field.pre_save(entry, True), connection) for field in _INSERT_FIELDS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_SQL, params)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    entry._state.db = connection.alias
