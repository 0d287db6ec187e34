"""Append-only rows (``common.append_only``): the ledger, the guarantee fund and the audit
trail refuse every update and delete, through the ORM and in the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from common.append_only import AppendOnlyGuard, ImmutableRecord
from tenants.audit.models import AuditEntry
from tenants.audit.services import audit_record
from tenants.members.models import LedgerEntry
from tenants.payroll.models import FundMovement
from tests.tenants.members.factories import ActivityFactory, post


def _ledger_entry():
    return post(ActivityFactory(), "10.00")


def _fund_movement():
    return FundMovement.objects.create(
        kind="feed",
        amount=Decimal("10.00"),
        currency=connection.tenant.currency,
        booked_on=dt.date(2026, 1, 15),
        description="share of a fee",
    )


def _audit_entry():
    return audit_record(actor=None, action="test.write", object_type="t", object_id=1)


ROWS = {
    "ledger": (_ledger_entry, "description"),
    "fund": (_fund_movement, "description"),
    "audit": (_audit_entry, "action"),
}


@pytest.fixture(params=sorted(ROWS))
def stored_row(request, partner_a, in_schema):
    make, text_field = ROWS[request.param]
    with in_schema(partner_a):
        yield make(), text_field


def _refusals(row, text_field):
    model = type(row)
    changed = model.objects.get(pk=row.pk)
    setattr(changed, text_field, "changed")
    copy = model.objects.get(pk=row.pk)
    copy._state.adding = True  # a new instance that carries a stored row's id
    return {
        "save again": lambda: changed.save(),
        "save some fields": lambda: changed.save(update_fields=[text_field]),
        "save a copy with the stored id": lambda: copy.save(force_update=True),
        "delete the instance": lambda: row.delete(),
        "queryset update": lambda: model.objects.filter(pk=row.pk).update(**{text_field: "x"}),
        "queryset delete": lambda: model.objects.filter(pk=row.pk).delete(),
        "bulk update": lambda: model.objects.bulk_update([changed], [text_field]),
        "update or create": lambda: model.objects.update_or_create(
            pk=row.pk, defaults={text_field: "x"}
        ),
    }


def test_the_orm_refuses_every_change_of_a_stored_row(stored_row):
    row, text_field = stored_row
    before = getattr(type(row).objects.get(pk=row.pk), text_field)
    for name, attempt in _refusals(row, text_field).items():
        with pytest.raises(ImmutableRecord) as refused:
            attempt()
        assert refused.value.code == "immutable_record", name
        assert refused.value.status == 409, name
        assert refused.value.extra["model"] == type(row)._meta.label, name
    assert getattr(type(row).objects.get(pk=row.pk), text_field) == before


def test_the_database_refuses_update_and_delete_by_raw_sql(stored_row):
    row, text_field = stored_row
    table = type(row)._meta.db_table
    for sql in (
        f"UPDATE {table} SET {text_field} = 'changed' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
    assert getattr(type(row).objects.get(pk=row.pk), text_field) == getattr(row, text_field)


def test_an_upsert_over_append_only_rows_is_refused(partner_a, in_schema):
    with in_schema(partner_a):
        row = _fund_movement()
        with pytest.raises(ImmutableRecord):
            FundMovement.objects.bulk_create(
                [FundMovement(pk=row.pk, kind="feed", amount=1, currency="EUR")],
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=["amount"],
            )


def test_new_rows_are_still_inserted(partner_a, in_schema):
    with in_schema(partner_a):
        before = FundMovement.objects.count()
        _fund_movement()
        FundMovement.objects.bulk_create([FundMovement(**_fund_fields())])
        assert FundMovement.objects.count() == before + 2


def _fund_fields():
    return {
        "kind": "feed",
        "amount": Decimal("1.00"),
        "currency": "EUR",
        "booked_on": dt.date(2026, 1, 1),
        "description": "bulk",
    }


def _append_only_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, AppendOnlyGuard) and not model._meta.abstract
    ]


def test_the_ledger_the_fund_and_the_audit_trail_share_the_append_only_base():
    assert {LedgerEntry, FundMovement, AuditEntry} <= set(_append_only_models())


def test_every_append_only_table_has_its_trigger_in_a_partner_schema(partner_a, in_schema):
    # A new append-only model without its migration (common.append_only.immutable_trigger)
    # would be guarded by the ORM only: this keeps the database guard from being forgotten.
    with in_schema(partner_a), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE c.relnamespace = to_regnamespace(%s) AND p.proname = 'essaim_immutable_row' "
            "AND NOT t.tgisinternal",
            [partner_a.schema_name],
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert {m._meta.db_table for m in _append_only_models()} <= guarded
