"""An issued invoice cannot change: services refuse, the ORM refuses, the database
refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from tenants.invoicing import services
from tenants.invoicing.exceptions import InvoiceImmutable
from tenants.invoicing.models import CreditNote, Invoice, InvoiceLine, Payment

from .factories import issued_invoice, make_invoice


def test_the_orm_refuses_to_save_a_changed_issued_invoice(alpha):
    invoice = issued_invoice()
    invoice.total_incl_vat = Decimal("1.00")

    with pytest.raises(InvoiceImmutable):
        invoice.save()
    with pytest.raises(InvoiceImmutable):
        Invoice.objects.filter(pk=invoice.pk).update(notes="changed")
    with pytest.raises(InvoiceImmutable):
        Invoice.objects.get(pk=invoice.pk).delete()
    with pytest.raises(InvoiceImmutable):
        Invoice.objects.filter(pk=invoice.pk).delete()


def test_the_orm_refuses_to_change_the_lines_of_an_issued_invoice(alpha):
    invoice = issued_invoice()
    first = invoice.lines.first()
    first.unit_price = Decimal("1")

    with pytest.raises(InvoiceImmutable):
        first.save()
    with pytest.raises(InvoiceImmutable):
        invoice.lines.all().update(description="x")
    with pytest.raises(InvoiceImmutable):
        invoice.lines.all().delete()
    with pytest.raises(InvoiceImmutable):
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=invoice,
                    position=9,
                    description="x",
                    quantity=1,
                    unit_price=1,
                    vat_rate=0,
                    amount_excl_vat=1,
                    vat_amount=0,
                )
            ]
        )


def test_payment_state_may_still_change(alpha):
    invoice = issued_invoice()

    Invoice.objects.filter(pk=invoice.pk).update(
        amount_paid=Decimal("1"), amount_due=F_due(invoice)
    )

    invoice.refresh_from_db()
    assert invoice.amount_paid == 1


def F_due(invoice):
    return invoice.total_incl_vat - 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE invoicing_invoice SET total_incl_vat = 1, "
        "amount_due = 1 - amount_paid - amount_credited WHERE id = %s",
        "UPDATE invoicing_invoice SET status = 'draft' WHERE id = %s",
        "UPDATE invoicing_invoice SET number = 'X' WHERE id = %s",
        "DELETE FROM invoicing_invoice WHERE id = %s",
        "UPDATE invoicing_invoiceline SET unit_price = 1 WHERE invoice_id = %s",
        "DELETE FROM invoicing_invoiceline WHERE invoice_id = %s",
    ],
)
def test_the_database_refuses_raw_changes_to_an_issued_invoice(alpha, sql):
    invoice = issued_invoice()

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [invoice.pk])


def test_the_database_refuses_changes_to_payments_and_credit_notes(alpha):
    invoice = issued_invoice()
    services.invoice_payment_record(
        invoice=invoice, amount="10.00", received_on=invoice.issue_date, recorded_by=None
    )
    other = issued_invoice()
    services.invoice_credit_note_create(invoice=other, reason="x", created_by=None)

    for sql in (
        "UPDATE invoicing_payment SET amount = 1",
        "DELETE FROM invoicing_payment",
        "UPDATE invoicing_creditnote SET reason = 'y'",
        "DELETE FROM invoicing_creditnoteline",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    with pytest.raises(InvoiceImmutable):
        Payment.objects.all().update(amount=1)
    with pytest.raises(InvoiceImmutable):
        CreditNote.objects.all().delete()


def test_a_draft_stays_freely_editable(alpha):
    invoice = make_invoice()

    invoice.notes = "still a draft"
    invoice.save()
    invoice.lines.all().update(description="changed")
    Invoice.objects.filter(pk=invoice.pk).delete()

    assert not Invoice.objects.filter(pk=invoice.pk).exists()
