"""The activity ledger: append-only, idempotent, balance derived from the entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.append_only import ImmutableRecord
from common.errors import CurrencyMismatch, PartnerRequired
from common.money import Money
from tenants.audit.models import AuditEntry
from tenants.members.exceptions import IdempotencyConflict, LedgerInvalid
from tenants.members.models import LedgerEntry
from tenants.members.selectors import activity_balance
from tenants.members.services import ledger_correct, ledger_post
from tests.tenants.members.factories import ActivityFactory, money, post


def test_balance_is_zero_for_a_new_activity(partner_a, in_schema):
    with in_schema(partner_a):
        activity = ActivityFactory()
        assert activity_balance(activity=activity) == Money(Decimal("0"), "EUR")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cents=st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=0, max_size=30))
def test_balance_equals_the_sum_of_entries(partner_a, in_schema, cents):
    with in_schema(partner_a):
        # Given an activity with random signed entries
        activity = ActivityFactory()
        other = ActivityFactory()
        post(other, "999.99")
        for value in cents:
            post(activity, Decimal(value).scaleb(-2))
        # When its balance is read
        balance = activity_balance(activity=activity)
        # Then it is exactly the sum of its own entries
        assert balance.amount == sum((Decimal(v).scaleb(-2) for v in cents), Decimal(0))
        assert balance.currency == "EUR"


def test_balance_is_read_with_one_query(partner_a, in_schema, django_assert_num_queries):
    with in_schema(partner_a):
        activity = ActivityFactory()
        post(activity, "10.00")
        with django_assert_num_queries(1):
            activity_balance(activity=activity)


def test_posting_writes_an_audit_row(partner_a, in_schema):
    with in_schema(partner_a):
        activity = ActivityFactory()
        entry = post(activity, "-70.00", kind="fee", rule={"rule": "fee", "rate": "0.0700"})
        row = AuditEntry.objects.get(object_type="members.ledgerentry", object_id=str(entry.pk))
        assert row.action == "ledger.post"
        assert row.changes["amount"] == {"amount": "-70.00", "currency": "EUR"}
        assert row.changes["rule"] == {"rule": "fee", "rate": "0.0700"}


def test_an_entry_cannot_be_saved_again(partner_a, in_schema):
    with in_schema(partner_a):
        entry = post(ActivityFactory(), "10.00")
        entry.amount = Decimal("11.00")
        with pytest.raises(ImmutableRecord):
            entry.save()


def test_an_entry_cannot_be_deleted(partner_a, in_schema):
    with in_schema(partner_a):
        entry = post(ActivityFactory(), "10.00")
        with pytest.raises(ImmutableRecord):
            entry.delete()
        with pytest.raises(ImmutableRecord):
            LedgerEntry.objects.filter(pk=entry.pk).delete()
        with pytest.raises(ImmutableRecord):
            LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)


def test_the_database_refuses_update_and_delete_of_entries(partner_a, in_schema):
    with in_schema(partner_a):
        entry = post(ActivityFactory(), "10.00")
        for sql in (
            "UPDATE members_ledgerentry SET amount = 1 WHERE id = %s",
            "DELETE FROM members_ledgerentry WHERE id = %s",
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [entry.pk])
        assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("10.00")


def test_posting_twice_with_one_idempotency_key_posts_once(partner_a, in_schema):
    with in_schema(partner_a):
        activity = ActivityFactory()
        first = post(activity, "5.00", idempotency_key="payment:1:turnover")
        second = post(activity, "5.00", idempotency_key="payment:1:turnover")
        assert first.pk == second.pk
        assert activity_balance(activity=activity).amount == Decimal("5.00")


def test_an_idempotency_key_reused_for_another_amount_is_refused(partner_a, in_schema):
    with in_schema(partner_a):
        activity = ActivityFactory()
        post(activity, "5.00", idempotency_key="k1")
        with pytest.raises(IdempotencyConflict):
            post(activity, "6.00", idempotency_key="k1")


def test_posting_in_another_currency_is_refused(partner_a, in_schema):
    with in_schema(partner_a):
        activity = ActivityFactory()
        with pytest.raises(CurrencyMismatch):
            ledger_post(
                activity=activity,
                kind="turnover_collected",
                amount=Money(Decimal("5.00"), "SEK"),
                booked_on=dt.date(2026, 1, 1),
                description="wrong currency",
            )
        assert not LedgerEntry.objects.filter(activity=activity).exists()


@pytest.mark.parametrize(
    ("amount", "kind", "description"),
    [("5.001", "fee", "x"), ("5.00", "bonus", "x"), ("5.00", "fee", "  ")],
)
def test_invalid_postings_are_refused(partner_a, in_schema, amount, kind, description):
    with in_schema(partner_a):
        activity = ActivityFactory()
        with pytest.raises(LedgerInvalid):
            post(activity, amount, kind=kind, description=description)
        assert not LedgerEntry.objects.filter(activity=activity).exists()


def test_a_correction_posts_the_difference_and_references_the_entry(partner_a, in_schema):
    with in_schema(partner_a):
        # Given a fee of -70.00 that should have been -65.00
        activity = ActivityFactory()
        post(activity, "1000.00")
        fee = post(activity, "-70.00", kind="fee")
        # When it is corrected
        correction = ledger_correct(
            entry=fee, amount=money("-65.00"), reason="Wrong rate", created_by=None
        )
        # Then a new entry of +5.00 references it, and the original is untouched
        assert correction.corrects_id == fee.pk
        assert correction.amount == Decimal("5.00")
        assert correction.rule["corrected_kind"] == "fee"
        assert LedgerEntry.objects.get(pk=fee.pk).amount == Decimal("-70.00")
        assert activity_balance(activity=activity).amount == Decimal("935.00")
        # And correcting again counts the earlier correction
        again = ledger_correct(entry=fee, amount=money("0"), reason="Waived", created_by=None)
        assert again.amount == Decimal("65.00")
        assert activity_balance(activity=activity).amount == Decimal("1000.00")


def test_a_correction_without_a_reason_or_change_is_refused(partner_a, in_schema):
    with in_schema(partner_a):
        fee = post(ActivityFactory(), "-70.00", kind="fee")
        with pytest.raises(LedgerInvalid):
            ledger_correct(entry=fee, amount=money("-60.00"), reason=" ", created_by=None)
        with pytest.raises(LedgerInvalid):
            ledger_correct(entry=fee, amount=money("-70.00"), reason="same", created_by=None)


def test_ledgers_of_one_partner_are_invisible_in_another(partner_a, partner_b, in_schema):
    with in_schema(partner_a):
        post(ActivityFactory(), "10.00")
    with in_schema(partner_b):
        assert LedgerEntry.objects.count() == 0


def test_posting_outside_a_partner_schema_is_refused_as_partner_required(partner_a, in_schema):
    with in_schema(partner_a):
        activity = ActivityFactory()
    with in_schema(None), pytest.raises(PartnerRequired):
        ledger_post(
            activity=activity,
            kind="turnover_collected",
            amount=Money(Decimal("1.00"), "EUR"),
            booked_on=dt.date(2026, 1, 15),
            description="from the federation host",
        )
