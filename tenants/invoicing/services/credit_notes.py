"""Credit notes: a numbered document that credits all or part of an issued invoice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import saved_user
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.invoicing.exceptions import CreditNoteTooLarge, InvoiceStateInvalid, invalid_field
from tenants.invoicing.models import CreditNote, CreditNoteLine, DocumentSequence, Invoice
from tenants.invoicing.numbering import document_number_take
from tenants.invoicing.selectors import invoice_for_update
from tenants.invoicing.services.pricing import amount_text
from tenants.invoicing.totals import (
    LineAmounts,
    LineInput,
    document_totals,
    line_amounts,
    lines_parse,
)


@transaction.atomic
def invoice_credit_note_create(
    *,
    invoice: Invoice,
    reason: str,
    created_by,
    lines: Iterable[Mapping[str, Any]] | None = None,
    issue_date: dt.date | None = None,
) -> CreditNote:
    """Issue a numbered credit note against an issued invoice.

    Without ``lines``: a full credit note, copying the invoice's lines; allowed while
    nothing is paid or credited yet; it cancels the invoice. With ``lines`` (same shape as
    an invoice's): a partial credit note; each line's ``vat_rate`` must be one of the
    invoice's rates (default: the invoice's rate when it has only one). A credit note
    lowers ``amount_due`` and may not exceed it (refunds of paid amounts are not handled
    here); when nothing remains due the invoice becomes ``cancelled`` (nothing was paid)
    or ``paid``. Turnover reaches the ledger only on payment, so a credit note posts no
    ledger entry.

    Raises ``InvoiceStateInvalid``, ``CreditNoteTooLarge``, ``InvoicingInvalid``.
    """
    invoice = invoice_for_update(pk=invoice.pk)
    if invoice.status not in (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID):
        raise InvoiceStateInvalid(
            _(
                "Only an issued invoice with an amount still due can be credited "
                "(this one is %(s)s)."
            )
            % {"s": invoice.get_status_display()},
            {"status": invoice.status},
        )
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field("reason", _("A reason is required."))
    today = timezone.localdate()
    issue_date = issue_date or today
    if issue_date > today or issue_date < invoice.issue_date:
        raise invalid_field("issue_date", _("Between the invoice's issue date and today."))
    invoice_lines = list(invoice.lines.all())
    invoice_rates = {line.vat_rate for line in invoice_lines}
    if lines is None:
        if invoice.amount_paid or invoice.amount_credited:
            due = amount_text(invoice.amount_due, invoice.currency)
            message = _(
                "Part of this invoice is already paid or credited: credit the remaining "
                "%(due)s with explicit lines."
            ) % {"due": due}
            raise CreditNoteTooLarge(message, {"fields": {"lines": [message]}, "amount_due": due})
        priced = [
            (
                LineInput(line.description, line.quantity, line.unit_price, line.vat_rate),
                LineAmounts(line.amount_excl_vat, line.vat_rate, line.vat_amount),
            )
            for line in invoice_lines
        ]
    else:
        inputs = lines_parse(list(lines))
        default = next(iter(invoice_rates)) if len(invoice_rates) == 1 else None
        priced = []
        for i, line in enumerate(inputs):
            rate = line.vat_rate if line.vat_rate is not None else default
            if rate is None or rate not in invoice_rates:
                raise invalid_field(
                    f"lines[{i}].vat_rate",
                    _("One of the invoice's VAT rates: %(rates)s.")
                    % {"rates": ", ".join(str(r) for r in sorted(invoice_rates))},
                )
            priced.append(
                (
                    line,
                    line_amounts(
                        quantity=line.quantity,
                        unit_price=line.unit_price,
                        vat_rate=rate,
                        currency=invoice.currency,
                        field=f"lines[{i}]",
                    ),
                )
            )
    totals = document_totals(amounts for _line, amounts in priced)
    if totals.total_incl_vat <= 0:
        raise invalid_field("lines", _("A credit note's total must be positive."))
    if totals.total_incl_vat > invoice.amount_due:
        due = amount_text(invoice.amount_due, invoice.currency)
        total = amount_text(totals.total_incl_vat, invoice.currency)
        message = _("The credit note (%(total)s) is more than the %(due)s still due.") % {
            "total": total,
            "due": due,
        }
        raise CreditNoteTooLarge(
            message, {"fields": {"lines": [message]}, "amount_due": due, "total": total}
        )
    before = audit_snapshot(invoice, ["status", "amount_credited", "amount_due"])
    taken = document_number_take(kind=DocumentSequence.Kind.CREDIT_NOTE, year=issue_date.year)
    note = CreditNote.objects.create(
        invoice=invoice,
        number=taken.number,
        year=taken.year,
        sequence=taken.sequence,
        currency=invoice.currency,
        language=invoice.language,
        vat_regime=invoice.vat_regime,
        vat_mention=invoice.vat_mention,
        total_excl_vat=totals.total_excl_vat,
        total_vat=totals.total_vat,
        total_incl_vat=totals.total_incl_vat,
        issue_date=issue_date,
        reason=reason[:2000],
        created_by=saved_user(created_by),
    )
    rows = []
    for i, (line, amounts) in enumerate(priced):
        rows.append(
            CreditNoteLine(
                credit_note=note,
                position=i + 1,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                vat_rate=amounts.vat_rate,
                vat_rate_explicit=True,
                amount_excl_vat=amounts.amount_excl_vat,
                vat_amount=amounts.vat_amount,
                locked=True,
            )
        )
    CreditNoteLine.objects.bulk_create(rows)
    invoice.amount_credited += totals.total_incl_vat
    invoice.credited_excl_vat += totals.total_excl_vat
    invoice.amount_due = invoice.total_incl_vat - invoice.amount_paid - invoice.amount_credited
    if invoice.amount_due == 0:
        invoice.status = Invoice.Status.PAID if invoice.amount_paid else Invoice.Status.CANCELLED
    invoice.save(
        update_fields=["amount_credited", "credited_excl_vat", "amount_due", "status", "updated_at"]
    )
    audit_record(
        actor=created_by,
        action="invoice.credit_note",
        obj=invoice,
        changes={
            **audit_diff(
                before, audit_snapshot(invoice, ["status", "amount_credited", "amount_due"])
            ),
            "credit_note": note.number,
            "reason": reason,
            "total_incl_vat": totals.total_incl_vat,
        },
    )
    return note
