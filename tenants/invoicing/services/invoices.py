"""Invoices: draft (create, change, delete) and issue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import saved_user
from common.tenancy import current_partner
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.invoicing.exceptions import InvoiceNotDraft, VatRuleMissing, invalid_field
from tenants.invoicing.models import Client, DocumentSequence, Estimate, Invoice, InvoiceLine
from tenants.invoicing.numbering import document_number_take
from tenants.invoicing.selectors import invoice_for_update, invoice_last_issue_date
from tenants.invoicing.services.pricing import (
    check_activity,
    check_document_total,
    decision_for,
    document_language,
    line_inputs,
    line_rows,
    new_lines,
    notes_clean,
    priced_lines,
    reprice_draft,
    rerate_and_lock,
    set_totals,
    stored_inputs,
)
from tenants.invoicing.totals import LineInput
from tenants.members.models import Activity
from tenants.partner_settings.selectors import partner_settings_get


@transaction.atomic
def invoice_create(
    *,
    activity: Activity,
    client: Client,
    lines: Iterable[Mapping[str, Any] | LineInput],
    created_by,
    notes: str = "",
    payment_terms_days: int | None = None,
    kind: str = Invoice.Kind.STANDARD,
    estimate: Estimate | None = None,
) -> Invoice:
    """Create a draft invoice of ``activity`` to ``client``.

    ``lines``: ``[{"description", "quantity", "unit_price", "vat_rate"?}]`` with decimal
    strings (or ``LineInput``); see ``totals.line_parse``. VAT is decided for today and
    decided again on the issue date. ``payment_terms_days`` None: the partner's default.
    Lines may be negative, their total including VAT may not.
    Raises ``InvoicingInvalid`` (naming the field: ``lines[i].…``, ``lines`` for a
    negative total), ``VatRateNotAllowed``, ``VatRuleMissing``.
    """
    check_activity(activity)
    inputs = line_inputs(lines)
    currency = current_partner().currency
    decision = decision_for(client, timezone.localdate())
    priced = priced_lines(inputs, decision, currency)
    invoice = Invoice(
        activity=activity,
        client=client,
        estimate=estimate,
        kind=kind,
        currency=currency,
        notes=notes_clean(notes),
        payment_terms_days=_terms(payment_terms_days),
        vat_regime=decision.regime,
        vat_mention=decision.mention,
        created_by=saved_user(created_by),
    )
    set_totals(invoice, priced)
    check_document_total(invoice)
    invoice.amount_due = invoice.total_incl_vat
    invoice.save()
    new_lines(InvoiceLine, line_rows(InvoiceLine, "invoice", invoice, priced))
    audit_record(
        actor=created_by,
        action="invoice.create",
        obj=invoice,
        changes=audit_snapshot(
            invoice, ["activity", "client", "kind", "total_excl_vat", "total_vat", "total_incl_vat"]
        ),
    )
    return invoice


def _terms(days: Any) -> int | None:
    if days is None or days == "":
        return None
    try:
        value = int(days)
    except (TypeError, ValueError):
        raise invalid_field("payment_terms_days", _("A whole number of days.")) from None
    if not 0 <= value <= 365:
        raise invalid_field("payment_terms_days", _("Between 0 and 365 days."))
    return value


@transaction.atomic
def invoice_update(
    *,
    invoice: Invoice,
    updated_by,
    client: Client | None = None,
    lines: Iterable[Mapping[str, Any]] | None = None,
    notes: str | None = None,
    payment_terms_days: Any = ...,
) -> Invoice:
    """Change a draft invoice (its client, lines, notes or terms); lines are replaced as a
    whole. Raises ``InvoiceNotDraft`` for an issued invoice."""
    invoice = invoice_for_update(pk=invoice.pk)
    if invoice.status != Invoice.Status.DRAFT:
        raise InvoiceNotDraft()
    before = audit_snapshot(invoice)
    if client is not None:
        invoice.client = client
    if notes is not None:
        invoice.notes = notes_clean(notes)
    if payment_terms_days is not ...:
        invoice.payment_terms_days = _terms(payment_terms_days)
    inputs = line_inputs(lines) if lines is not None else stored_inputs(invoice.lines.all())
    decision = decision_for(invoice.client, timezone.localdate())
    reprice_draft(invoice, InvoiceLine, "invoice", inputs, decision)
    audit_record(
        actor=updated_by,
        action="invoice.update",
        obj=invoice,
        changes=audit_diff(before, audit_snapshot(invoice)),
    )
    return invoice


@transaction.atomic
def invoice_delete(*, invoice: Invoice, deleted_by) -> None:
    """Delete a draft invoice (it has no number yet). Raises ``InvoiceNotDraft``."""
    invoice = invoice_for_update(pk=invoice.pk)
    if invoice.status != Invoice.Status.DRAFT:
        raise InvoiceNotDraft()
    audit_record(
        actor=deleted_by, action="invoice.delete", obj=invoice, changes=audit_snapshot(invoice)
    )
    invoice.delete()


def _client_snapshot(client: Client) -> dict[str, Any]:
    return {
        "id": client.pk,
        "name": client.name,
        "kind": client.kind,
        "country": client.country,
        "vat_number": client.vat_number,
        "address": client.address,
        "email": client.email,
    }


def _seller_snapshot() -> dict[str, Any]:
    partner = current_partner()
    return {
        "name": partner.name,
        "country": partner.country,
        "legal_form": partner.legal_form,
        "locale": partner.default_locale,
    }


# What ``invoice_issue`` writes; the rest of the draft was saved when it was created.
ISSUE_FIELDS = [
    "number",
    "year",
    "sequence",
    "issue_date",
    "due_date",
    "payment_terms_days",
    "vat_regime",
    "vat_mention",
    "language",
    "client_snapshot",
    "seller_snapshot",
    "total_excl_vat",
    "total_vat",
    "total_incl_vat",
    "amount_due",
    "status",
    "issued_by",
    "issued_at",
    "updated_at",
]


@transaction.atomic
def invoice_issue(*, invoice: Invoice, issued_by, issue_date: dt.date | None = None) -> Invoice:
    """Issue a draft invoice: decide VAT for ``issue_date`` (default today), re-rate and
    re-round the lines, freeze the client and seller details, set the due date (issue date
    + payment terms), take the next gapless number of the issue year, and lock the invoice.

    ``issue_date`` may not be in the future nor before the last invoice issued in its year
    (numbers follow dates). Raises ``InvoiceNotDraft``, ``InvoicingInvalid`` (empty or
    non-positive total), ``VatRateNotAllowed``, ``VatRuleMissing`` (naming ``issue_date``
    when the caller gave it).
    """
    invoice = invoice_for_update(pk=invoice.pk, related=("client",))
    if invoice.status != Invoice.Status.DRAFT:
        raise InvoiceNotDraft()
    today = timezone.localdate()
    explicit_date = issue_date is not None
    issue_date = issue_date or today
    if issue_date > today:
        raise invalid_field("issue_date", _("An invoice cannot be issued in the future."))
    client = invoice.client
    try:
        decision = decision_for(client, issue_date)
    except VatRuleMissing as exc:
        # The caller chose the date: it is the field to correct.
        if explicit_date:
            exc.extra = {**exc.extra, "fields": {"issue_date": [str(exc.message)]}}
        raise
    lines = list(invoice.lines.all())
    if not lines:
        raise invalid_field("lines", _("An invoice needs at least one line."))
    priced = priced_lines(stored_inputs(lines), decision, invoice.currency)
    set_totals(invoice, priced)
    if invoice.total_incl_vat <= 0 or invoice.total_excl_vat <= 0:
        raise invalid_field("lines", _("An invoice's total must be positive."))
    rerate_and_lock(InvoiceLine, "invoice", invoice, lines, priced)
    partner_settings = partner_settings_get()
    terms = invoice.payment_terms_days
    if terms is None:
        terms = partner_settings.payment_terms_days
    # Taken last: the counter row stays locked until this transaction commits.
    taken = document_number_take(
        kind=DocumentSequence.Kind.INVOICE,
        year=issue_date.year,
        number_format=partner_settings.invoice_number_format,
    )
    if explicit_date:
        latest = invoice_last_issue_date(year=issue_date.year)
        if latest and latest > issue_date:
            raise invalid_field(
                "issue_date",
                _("Invoices of %(year)s were already issued on %(date)s; numbers follow dates.")
                % {"year": issue_date.year, "date": latest.isoformat()},
            )
    invoice.number = taken.number
    invoice.year = taken.year
    invoice.sequence = taken.sequence
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + dt.timedelta(days=terms)
    invoice.payment_terms_days = terms
    invoice.vat_regime = decision.regime
    invoice.vat_mention = decision.mention
    invoice.language = document_language(client)
    invoice.client_snapshot = _client_snapshot(client)
    invoice.seller_snapshot = _seller_snapshot()
    invoice.amount_due = invoice.total_incl_vat
    invoice.status = Invoice.Status.ISSUED
    invoice.issued_by = saved_user(issued_by)
    invoice.issued_at = timezone.now()
    invoice.save(update_fields=ISSUE_FIELDS)
    audit_record(
        actor=issued_by,
        action="invoice.issue",
        obj=invoice,
        changes={
            "number": invoice.number,
            "issue_date": issue_date,
            "due_date": invoice.due_date,
            "vat_regime": decision.regime,
            "vat_source": decision.source,
            "total_excl_vat": invoice.total_excl_vat,
            "total_vat": invoice.total_vat,
            "total_incl_vat": invoice.total_incl_vat,
            "status": {"before": "draft", "after": "issued"},
        },
    )
    return invoice
