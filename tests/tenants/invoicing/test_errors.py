"""Invoicing, payroll and expense errors: codes are each domain's enum with stable values,
and ``extra`` has one shape, ``{"fields": {field: [messages]}}`` beside context keys."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tenants.expenses import exceptions as expenses
from tenants.invoicing import exceptions as invoicing
from tenants.invoicing import services
from tenants.invoicing.vat import vat_decision
from tenants.payroll import exceptions as payroll

from .factories import issued_invoice, line


@pytest.mark.parametrize(
    ("error", "enum", "code"),
    [
        (invoicing.InvoicingInvalid, invoicing.InvoicingErrorCode, "invoicing_invalid"),
        (invoicing.ClientVatNumberInvalid, invoicing.InvoicingErrorCode, "vat_number_invalid"),
        (invoicing.VatRateNotAllowed, invoicing.InvoicingErrorCode, "vat_rate_not_allowed"),
        (invoicing.VatRuleMissing, invoicing.InvoicingErrorCode, "vat_rule_missing"),
        (invoicing.InvoiceNotDraft, invoicing.InvoicingErrorCode, "invoice_not_draft"),
        (invoicing.InvoiceImmutable, invoicing.InvoicingErrorCode, "invoice_immutable"),
        (invoicing.InvoiceStateInvalid, invoicing.InvoicingErrorCode, "invoice_state_invalid"),
        (invoicing.OverpaymentRefused, invoicing.InvoicingErrorCode, "overpayment"),
        (invoicing.CreditNoteTooLarge, invoicing.InvoicingErrorCode, "credit_note_too_large"),
        (invoicing.NumberFormatInvalid, invoicing.InvoicingErrorCode, "number_format_invalid"),
        (invoicing.EstimateStateInvalid, invoicing.InvoicingErrorCode, "estimate_state_invalid"),
        (
            invoicing.EstimateNeedsValidation,
            invoicing.InvoicingErrorCode,
            "estimate_needs_validation",
        ),
        (invoicing.ClientNotOwned, invoicing.InvoicingErrorCode, "client_not_owned"),
        (invoicing.ObjectNotFound, invoicing.InvoicingErrorCode, "not_found"),
        (payroll.FundInvalid, payroll.PayrollErrorCode, "fund_invalid"),
        (payroll.FundInvoiceNotFound, payroll.PayrollErrorCode, "fund_invoice_not_found"),
        (payroll.FundAdvanceRefused, payroll.PayrollErrorCode, "fund_advance_refused"),
        (payroll.FundInsufficient, payroll.PayrollErrorCode, "fund_insufficient"),
        (payroll.FundNothingOutstanding, payroll.PayrollErrorCode, "fund_nothing_outstanding"),
        (expenses.ExpenseInvalid, expenses.ExpensesErrorCode, "expense_invalid"),
        (expenses.ExpenseNotFound, expenses.ExpensesErrorCode, "expense_not_found"),
        (expenses.ExpenseAlreadyDecided, expenses.ExpensesErrorCode, "expense_already_decided"),
        (expenses.ExpenseExceedsBalance, expenses.ExpensesErrorCode, "expense_exceeds_balance"),
    ],
)
def test_each_error_code_is_a_member_of_its_domains_enum_with_a_stable_value(error, enum, code):
    assert isinstance(error.code, enum)
    assert error.code == code


def test_a_refused_vat_rate_names_the_field_and_lists_the_allowed_rates():
    decision = vat_decision(
        seller_country="DE",
        client_country="DE",
        client_is_company=True,
        client_vat_number="",
        on=dt.date(2026, 3, 1),
    )

    with pytest.raises(invoicing.VatRateNotAllowed) as refused:
        decision.line_rate(Decimal("0.25"))

    assert list(refused.value.extra["fields"]) == ["vat_rate"]
    assert refused.value.extra["allowed"] == ["0", "0.07", "0.19"]


def test_a_credit_note_beyond_the_amount_due_names_the_lines(alpha):
    invoice = issued_invoice(lines=[line(unit_price="100.00")])

    with pytest.raises(invoicing.CreditNoteTooLarge) as refused:
        services.invoice_credit_note_create(
            invoice=invoice, reason="x", lines=[line(unit_price="100.01")], created_by=None
        )

    assert list(refused.value.extra["fields"]) == ["lines"]
    assert refused.value.extra["amount_due"] == "119.00"


def test_a_change_to_an_issued_invoice_names_each_locked_field(alpha):
    invoice = issued_invoice()
    invoice.notes = "changed"
    invoice.total_incl_vat = Decimal("1.00")

    with pytest.raises(invoicing.InvoiceImmutable) as refused:
        invoice.save()

    fields = refused.value.extra["fields"]
    assert sorted(fields) == ["notes", "total_incl_vat"]
    assert all(isinstance(messages, list) and messages for messages in fields.values())
