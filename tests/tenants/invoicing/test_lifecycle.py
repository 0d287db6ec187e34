"""An invoice from draft to paid, and cancelled by a credit note (service layer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tenants.audit.models import AuditEntry
from tenants.invoicing import services
from tenants.invoicing.exceptions import (
    ClientVatNumberInvalid,
    CreditNoteTooLarge,
    InvoiceNotDraft,
    InvoiceStateInvalid,
    InvoicingInvalid,
    OverpaymentRefused,
)
from tenants.invoicing.models import Invoice
from tenants.members.models import LedgerEntry
from tenants.members.selectors import activity_balance

from .factories import issued_invoice, line, make_activity, make_client, make_invoice

D = Decimal


def today():
    return timezone.localdate()


def test_a_draft_invoice_has_no_number_and_totals_from_rounded_lines(alpha):
    invoice = make_invoice(
        lines=[line(quantity="3", unit_price="33.333"), line(quantity="1", unit_price="0.005")]
    )

    assert invoice.number is None
    assert invoice.status == Invoice.Status.DRAFT
    assert invoice.currency == "EUR"
    assert invoice.total_excl_vat == D("100.01")  # 100.00 (99.999) + 0.01 (0.005)
    assert invoice.total_vat == D("19.00")  # 19.00 + 0.00 (0.0019)
    assert invoice.total_incl_vat == D("119.01")
    assert invoice.amount_due == D("119.01")


def test_issue_numbers_the_invoice_and_sets_the_due_date(alpha):
    invoice = make_invoice()

    issued = services.invoice_issue(invoice=invoice, issued_by=None)

    assert issued.status == Invoice.Status.ISSUED
    assert issued.number == f"DE-{today().year}-{issued.sequence:06d}"
    assert issued.issue_date == today()
    assert issued.due_date == today() + dt.timedelta(days=30)
    assert issued.client_snapshot["name"] == issued.client.name
    assert issued.language == "de"


def test_issue_refuses_an_invoice_that_is_not_a_draft(alpha):
    invoice = issued_invoice()

    with pytest.raises(InvoiceNotDraft):
        services.invoice_issue(invoice=invoice, issued_by=None)


def test_invoice_goes_from_issued_to_partly_paid_to_paid_and_credits_the_ledger(alpha):
    activity = make_activity()
    invoice = issued_invoice(activity=activity, lines=[line(unit_price="1000.00")])  # 1190.00

    first = services.invoice_payment_record(
        invoice=invoice, amount="595.00", received_on=today(), recorded_by=None
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PARTLY_PAID
    assert invoice.amount_due == D("595.00")
    assert first.share_excl_vat == D("500.00")
    assert first.fee_amount == D("35.00")  # 7 % default fee rate

    services.invoice_payment_record(
        invoice=invoice, amount="595.00", received_on=today(), recorded_by=None
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.amount_due == D("0")
    entries = LedgerEntry.objects.filter(activity=activity)
    turnover = [e.amount for e in entries if e.kind == "turnover_collected"]
    fees = [e for e in entries if e.kind == "fee"]
    assert sum(turnover) == D("1000.00")
    assert sum(e.amount for e in fees) == D("-70.00")
    assert fees[0].rule["rate"] == "0.0700"
    assert fees[0].rule["base"] == "500.00"
    assert fees[0].rule["source"] == "partner settings fee rate"
    assert activity_balance(activity=activity).amount == D("930.00")


def test_payment_shares_add_up_to_the_total_excluding_vat_despite_rounding(alpha):
    invoice = issued_invoice(lines=[line(unit_price="10.00")])  # 11.90 incl. VAT

    shares = [
        services.invoice_payment_record(
            invoice=invoice, amount=amount, received_on=today(), recorded_by=None
        ).share_excl_vat
        for amount in ("3.97", "3.97", "3.96")
    ]

    assert sum(shares) == D("10.00")


def test_an_overpayment_is_refused_and_changes_nothing(alpha):
    invoice = issued_invoice(lines=[line(unit_price="100.00")])

    with pytest.raises(OverpaymentRefused) as refused:
        services.invoice_payment_record(
            invoice=invoice, amount="119.01", received_on=today(), recorded_by=None
        )

    assert "119.00" in str(refused.value)
    assert refused.value.extra["amount_due"] == "119.00"
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.amount_due == D("119.00")
    assert not invoice.payments.exists()
    assert not LedgerEntry.objects.filter(activity=invoice.activity).exists()


def test_a_payment_on_a_draft_is_refused(alpha):
    invoice = make_invoice()

    with pytest.raises(InvoiceStateInvalid):
        services.invoice_payment_record(
            invoice=invoice, amount="1.00", received_on=today(), recorded_by=None
        )


@pytest.mark.parametrize("amount", ["0", "-5", "1.001", "abc", "NaN", "1e30"])
def test_a_malformed_payment_amount_is_refused(alpha, amount):
    invoice = issued_invoice()

    with pytest.raises(InvoicingInvalid):
        services.invoice_payment_record(
            invoice=invoice, amount=amount, received_on=today(), recorded_by=None
        )


def test_a_full_credit_note_cancels_the_invoice(alpha):
    invoice = issued_invoice(lines=[line(unit_price="100.00"), line(unit_price="50.00")])

    note = services.invoice_credit_note_create(
        invoice=invoice, reason="Wrong client", created_by=None
    )

    invoice.refresh_from_db()
    assert note.number == f"CN-DE-{today().year}-{note.sequence:06d}"
    assert note.total_incl_vat == invoice.total_incl_vat
    assert note.lines.count() == 2
    assert invoice.status == Invoice.Status.CANCELLED
    assert invoice.amount_due == 0
    with pytest.raises(InvoiceStateInvalid):
        services.invoice_payment_record(
            invoice=invoice, amount="1.00", received_on=today(), recorded_by=None
        )


def test_a_partial_credit_note_lowers_the_amount_due(alpha):
    invoice = issued_invoice(lines=[line(quantity="10", unit_price="100.00")])  # 1190.00

    services.invoice_credit_note_create(
        invoice=invoice,
        reason="Two days not worked",
        created_by=None,
        lines=[line(quantity="2", unit_price="100.00")],
    )

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.amount_credited == D("238.00")
    assert invoice.amount_due == D("952.00")
    payment = services.invoice_payment_record(
        invoice=invoice, amount="952.00", received_on=today(), recorded_by=None
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert payment.share_excl_vat == D("800.00")


def test_a_credit_note_larger_than_the_amount_due_is_refused(alpha):
    invoice = issued_invoice(lines=[line(unit_price="100.00")])
    services.invoice_payment_record(
        invoice=invoice, amount="100.00", received_on=today(), recorded_by=None
    )

    with pytest.raises(CreditNoteTooLarge):
        services.invoice_credit_note_create(
            invoice=invoice, reason="x", created_by=None, lines=[line(unit_price="100.00")]
        )
    with pytest.raises(CreditNoteTooLarge):
        services.invoice_credit_note_create(invoice=invoice, reason="x", created_by=None)


def test_a_draft_can_be_edited_and_deleted_but_not_an_issued_invoice(alpha):
    invoice = make_invoice()
    services.invoice_update(invoice=invoice, updated_by=None, lines=[line(unit_price="5.00")])
    invoice.refresh_from_db()
    assert invoice.total_excl_vat == D("5.00")

    services.invoice_issue(invoice=invoice, issued_by=None)

    with pytest.raises(InvoiceNotDraft):
        services.invoice_update(invoice=invoice, updated_by=None, lines=[line()])
    with pytest.raises(InvoiceNotDraft):
        services.invoice_delete(invoice=invoice, deleted_by=None)


def test_an_invoice_with_a_zero_total_cannot_be_issued(alpha):
    invoice = make_invoice(lines=[line(unit_price="10.00"), line(unit_price="-10.00")])

    with pytest.raises(InvoicingInvalid):
        services.invoice_issue(invoice=invoice, issued_by=None)


def test_issue_in_the_future_or_before_the_last_issued_invoice_is_refused(alpha):
    issued_invoice()
    with pytest.raises(InvoicingInvalid):
        services.invoice_issue(
            invoice=make_invoice(), issued_by=None, issue_date=today() + dt.timedelta(days=1)
        )
    if today().month > 1 or today().day > 1:
        with pytest.raises(InvoicingInvalid):
            services.invoice_issue(
                invoice=make_invoice(), issued_by=None, issue_date=today().replace(day=1, month=1)
            )


def test_every_step_is_audited(alpha):
    invoice = issued_invoice()
    services.invoice_payment_record(
        invoice=invoice, amount="10.00", received_on=today(), recorded_by=None
    )

    actions = set(
        AuditEntry.objects.filter(
            object_id=str(invoice.pk), object_type="invoicing.invoice"
        ).values_list("action", flat=True)
    )
    assert {"invoice.create", "invoice.issue", "invoice.payment"} <= actions


def test_clients_vat_number_is_checked_for_its_country(alpha):
    client = make_client(name="Acme", country="FR", vat_number="FR 40 303 265 045")
    assert client.vat_number == "FR40303265045"
    assert make_client(country="DE", vat_number="136695976").vat_number == "DE136695976"
    with pytest.raises(ClientVatNumberInvalid):
        make_client(country="DE", vat_number="DE136695978")
    with pytest.raises(ClientVatNumberInvalid):
        make_client(country="BE", vat_number="DE136695976")
    assert make_client(country="US", vat_number="12-3456789").vat_number == "12-3456789"
