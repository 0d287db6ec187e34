"""The audit trail: JSON-safe changes, append-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from common.append_only import ImmutableRecord
from common.money import Money
from tenants.audit.models import AuditEntry
from tenants.audit.services import audit_diff, audit_record
from tests.tenants.members.factories import MemberFactory


def test_audit_record_keeps_who_what_and_json_safe_changes(partner_a, make_user, in_schema):
    user = make_user(partner_a, "advisor")
    with in_schema(partner_a):
        member = MemberFactory()
        row = audit_record(
            actor=user,
            action="member.update",
            obj=member,
            changes={"amount": Money(Decimal("1.50"), "EUR"), "on": dt.date(2026, 1, 2)},
        )
        row.refresh_from_db()
        assert (row.actor_id, row.actor_username) == (user.pk, user.username)
        assert row.object_type == "members.member"
        assert row.object_id == str(member.pk)
        assert row.changes == {
            "amount": {"amount": "1.50", "currency": "EUR"},
            "on": "2026-01-02",
        }


def test_audit_diff_keeps_only_changed_fields():
    assert audit_diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": {"before": 2, "after": 3}}


def test_audit_rows_cannot_be_changed(partner_a, in_schema):
    with in_schema(partner_a):
        row = audit_record(actor=None, action="x", object_type="t", object_id=1)
        with pytest.raises(ImmutableRecord):
            row.save()
        with pytest.raises(ImmutableRecord):
            AuditEntry.objects.all().delete()
        with pytest.raises(IntegrityError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [row.pk])
        assert row.actor_username == "system"
