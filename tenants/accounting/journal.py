"""The journal of a period, as balanced double-entry lines, built from the records of the
partner's schema with the partner's chart of accounts (``PartnerSettings.chart_of_accounts``).

Sources and the entries they give (each entry balances):

- issued invoices (journal ``sales``): debit clients (incl. VAT), credit sales (excl. VAT)
  and VAT collected;
- credit notes (``sales``): the reverse;
- client payments (``bank``): debit bank, credit clients;
- activity ledger entries (``activities``): the pair ``chart["ledger"][kind]``, e.g. a fee
  debits the activity budgets (auxiliary account of the activity) and credits fee income;
  a correction uses the pair of the kind it corrects;
- guarantee fund feeds and write-offs (``fund``): ``chart["fund"][kind]``. Advances and
  recoveries appear through their ledger entries (``fund_advance``/``fund_recovery``).

Reading only: building the journal never writes. Ordering is total (date, journal, source
kind, source id, line), so the same records give the same journal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tenants.members.models import LedgerEntry, LedgerKind
from tenants.partner_settings.selectors import partner_settings_get
from tenants.payroll.fund_models import FundMovement, FundMovementKind

JOURNAL_LABELS = {
    "sales": "Ventes / Sales",
    "bank": "Banque / Bank",
    "activities": "Activites / Activities",
    "fund": "Fonds de garantie / Guarantee fund",
}
_JOURNAL_ORDER = {"sales": 0, "bank": 1, "activities": 2, "fund": 3}


@dataclass(frozen=True)
class JournalLine:
    journal: str  # journal name: sales, bank, activities, fund
    journal_code: str
    entry_date: dt.date
    valid_date: dt.date
    entry_key: tuple  # groups the lines of one entry; sorts entries
    account: str
    account_name: str
    aux_account: str
    aux_label: str
    piece_ref: str
    piece_date: dt.date
    label: str
    debit: Decimal
    credit: Decimal
    currency: str
    source: str


@dataclass(frozen=True)
class NumberedLine:
    number: str  # EcritureNum: journal code + sequence within the export
    line: JournalLine


def _clean(text: str) -> str:
    """One line of text: separators and line breaks removed."""
    return " ".join(str(text or "").replace("|", "/").replace("\t", " ").split())[:200]


class _Builder:
    def __init__(self, chart: dict):
        self.accounts = chart["accounts"]
        self.ledger = chart["ledger"]
        self.fund = chart["fund"]
        self.journals = chart["journals"]
        self.lines: list[JournalLine] = []

    def entry(
        self,
        *,
        journal: str,
        date: dt.date,
        valid: dt.date,
        key: tuple,
        ref: str,
        label: str,
        currency: str,
        source: str,
        legs: list[tuple[str, Decimal, str, str]],
    ) -> None:
        """``legs``: (account name, signed amount: debit > 0, credit < 0, aux, aux label)."""
        total = sum((amount for _name, amount, _aux, _aux_label in legs), Decimal(0))
        if total != 0:
            raise AssertionError(f"Unbalanced journal entry {source}: {total}")
        for index, (name, amount, aux, aux_label) in enumerate(legs):
            if amount == 0:
                continue
            self.lines.append(
                JournalLine(
                    journal=journal,
                    journal_code=self.journals.get(journal, journal[:2].upper()),
                    entry_date=date,
                    valid_date=max(valid, date),
                    entry_key=(date, _JOURNAL_ORDER[journal], *key, index),
                    account=self.accounts[name],
                    account_name=name,
                    aux_account=aux,
                    aux_label=_clean(aux_label),
                    piece_ref=_clean(ref),
                    piece_date=date,
                    label=_clean(label),
                    debit=amount if amount > 0 else Decimal(0),
                    credit=-amount if amount < 0 else Decimal(0),
                    currency=currency,
                    source=source,
                )
            )


def _invoicing_lines(builder: _Builder, start: dt.date, end: dt.date) -> None:
    from tenants.invoicing.models import CreditNote, Invoice, Payment

    invoices = (
        Invoice.objects.exclude(status="draft")
        .filter(issue_date__range=(start, end))
        .select_related("client")
        .order_by("issue_date", "id")
    )
    for invoice in invoices:
        client = f"C{invoice.client_id}"
        valid = invoice.issued_at.date() if invoice.issued_at else invoice.issue_date
        builder.entry(
            journal="sales",
            date=invoice.issue_date,
            valid=valid,
            key=(0, invoice.pk),
            ref=invoice.number,
            label=f"Invoice {invoice.number} {invoice.client.name}",
            currency=invoice.currency,
            source=f"invoicing.invoice:{invoice.pk}",
            legs=[
                ("clients", invoice.total_incl_vat, client, invoice.client.name),
                ("sales", -invoice.total_excl_vat, "", ""),
                ("vat_collected", -invoice.total_vat, "", ""),
            ],
        )
    notes = (
        CreditNote.objects.filter(issue_date__range=(start, end))
        .select_related("invoice__client")
        .order_by("issue_date", "id")
    )
    for note in notes:
        client = note.invoice.client
        builder.entry(
            journal="sales",
            date=note.issue_date,
            valid=note.created_at.date(),
            key=(1, note.pk),
            ref=note.number,
            label=f"Credit note {note.number} on {note.invoice.number}",
            currency=note.currency,
            source=f"invoicing.creditnote:{note.pk}",
            legs=[
                ("clients", -note.total_incl_vat, f"C{client.pk}", client.name),
                ("sales", note.total_excl_vat, "", ""),
                ("vat_collected", note.total_vat, "", ""),
            ],
        )
    payments = (
        Payment.objects.filter(received_on__range=(start, end))
        .select_related("invoice__client")
        .order_by("received_on", "id")
    )
    for payment in payments:
        client = payment.invoice.client
        builder.entry(
            journal="bank",
            date=payment.received_on,
            valid=payment.created_at.date(),
            key=(0, payment.pk),
            ref=payment.invoice.number,
            label=f"Payment {payment.invoice.number} {client.name}",
            currency=payment.currency,
            source=f"invoicing.payment:{payment.pk}",
            legs=[
                ("bank", payment.amount, "", ""),
                ("clients", -payment.amount, f"C{client.pk}", client.name),
            ],
        )


def _ledger_lines(builder: _Builder, start: dt.date, end: dt.date) -> None:
    entries = (
        LedgerEntry.objects.filter(booked_on__range=(start, end))
        .select_related("activity", "corrects")
        .order_by("booked_on", "id")
    )
    for entry in entries:
        kind = entry.kind
        if kind == LedgerKind.CORRECTION and entry.corrects is not None:
            kind = entry.corrects.kind
        debit_name, credit_name = builder.ledger.get(kind, builder.ledger["correction"])
        aux = f"A{entry.activity_id}"
        aux_label = entry.activity.name
        # The pair is written for an entry that credits the activity (amount > 0); the
        # "activity_budgets" leg carries the activity as auxiliary account.
        legs = [
            (debit_name, entry.amount, *_aux(debit_name, aux, aux_label)),
            (credit_name, -entry.amount, *_aux(credit_name, aux, aux_label)),
        ]
        builder.entry(
            journal="activities",
            date=entry.booked_on,
            valid=entry.created_at.date(),
            key=(0, entry.pk),
            ref=f"L{entry.pk}",
            label=entry.description,
            currency=entry.currency,
            source=f"members.ledgerentry:{entry.pk}",
            legs=legs,
        )


def _aux(name: str, aux: str, label: str) -> tuple[str, str]:
    return (aux, label) if name == "activity_budgets" else ("", "")


def _fund_lines(builder: _Builder, start: dt.date, end: dt.date) -> None:
    movements = FundMovement.objects.filter(
        booked_on__range=(start, end),
        kind__in=[FundMovementKind.FEED, FundMovementKind.WRITE_OFF],
    ).order_by("booked_on", "id")
    for movement in movements:
        debit_name, credit_name = builder.fund[movement.kind]
        value = (
            movement.amount
            if movement.kind == FundMovementKind.FEED
            else (-movement.outstanding_change)
        )
        builder.entry(
            journal="fund",
            date=movement.booked_on,
            valid=movement.created_at.date(),
            key=(0, movement.pk),
            ref=f"F{movement.pk}",
            label=movement.description,
            currency=movement.currency,
            source=f"payroll.fundmovement:{movement.pk}",
            legs=[(debit_name, value, "", ""), (credit_name, -value, "", "")],
        )


def journal_lines(*, start: dt.date, end: dt.date) -> list[NumberedLine]:
    """Every journal line of entries dated ``start``..``end`` (inclusive), sorted, each
    entry numbered ``<journal code><sequence>`` continuously within its journal."""
    chart = partner_settings_get().chart_of_accounts
    builder = _Builder(chart)
    _invoicing_lines(builder, start, end)
    _ledger_lines(builder, start, end)
    _fund_lines(builder, start, end)
    lines = sorted(builder.lines, key=lambda line: line.entry_key)
    numbered: list[NumberedLine] = []
    counters: dict[str, int] = {}
    current: dict[str, tuple] = {}
    for line in lines:
        entry_id = line.entry_key[:-1]
        if current.get(line.journal_code) != entry_id:
            counters[line.journal_code] = counters.get(line.journal_code, 0) + 1
            current[line.journal_code] = entry_id
        numbered.append(NumberedLine(f"{line.journal_code}{counters[line.journal_code]:06d}", line))
    return numbered
