"""Files of the journal: a generic double-entry CSV, and the French FEC (fichier des
écritures comptables, article A47 A-1 of the Livre des procédures fiscales).

Both are pure functions of the journal lines: same records, same bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from common.api.export import rows_to_csv
from tenants.accounting.journal import JOURNAL_LABELS, NumberedLine

GENERIC_HEADERS = [
    "journal",
    "entry_number",
    "date",
    "account",
    "account_name",
    "auxiliary_account",
    "auxiliary_label",
    "reference",
    "label",
    "debit",
    "credit",
    "currency",
    "source",
]

# The 18 columns of article A47 A-1 of the LPF, in the legal order.
FEC_HEADERS = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
]


def _amount(value: Decimal, places: int = 2) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def journal_csv(lines: list[NumberedLine]) -> bytes:
    """The generic double-entry CSV (UTF-8, comma, ``.`` decimals, ISO dates)."""
    rows = [
        [
            item.line.journal_code,
            item.number,
            item.line.entry_date.isoformat(),
            item.line.account,
            item.line.account_name,
            item.line.aux_account,
            item.line.aux_label,
            item.line.piece_ref,
            item.line.label,
            _amount(item.line.debit, 3),
            _amount(item.line.credit, 3),
            item.line.currency,
            item.line.source,
        ]
        for item in lines
    ]
    return rows_to_csv(GENERIC_HEADERS, rows)


def _fec_date(value: dt.date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def _fec_amount(value: Decimal) -> str:
    # Numeric, no thousands separator, comma as decimal separator, two decimals.
    return _amount(value).replace(".", ",")


def _fec_text(value: str) -> str:
    return str(value or "").replace("|", "/").replace("\r", " ").replace("\n", " ")


def fec(lines: list[NumberedLine], *, account_labels: dict[str, str] | None = None) -> bytes:
    """The FEC: header of the 18 legal column names, one line per journal line, ``|``
    separated, CRLF, dates ``AAAAMMJJ``, amounts with a decimal comma; ISO-8859-15
    (characters outside it become ``?``). Amounts are in the partner's (euro) currency, so
    ``Montantdevise`` and ``Idevise`` stay empty."""
    labels = account_labels or {}
    out = ["|".join(FEC_HEADERS)]
    for item in lines:
        line = item.line
        account_label = labels.get(line.account_name) or line.account_name.replace("_", " ")
        journal_label = JOURNAL_LABELS.get(line.journal, line.journal)
        fields = [
            line.journal_code,
            journal_label,
            item.number,
            _fec_date(line.entry_date),
            line.account,
            account_label,
            line.aux_account,
            line.aux_label,
            line.piece_ref,
            _fec_date(line.piece_date),
            line.label,
            _fec_amount(line.debit),
            _fec_amount(line.credit),
            "",
            "",
            _fec_date(line.valid_date),
            "",
            "",
        ]
        out.append("|".join(_fec_text(f) for f in fields))
    return ("\r\n".join(out) + "\r\n").encode("iso-8859-15", errors="replace")


def fec_filename(*, siren: str, closing_date: dt.date) -> str:
    """``<SIREN>FEC<AAAAMMJJ>.txt`` (the closing date of the period)."""
    return f"{siren}FEC{closing_date.strftime('%Y%m%d')}.txt"
