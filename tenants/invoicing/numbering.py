"""Gapless document numbers, per partner (each partner's counters live in its own schema)
and per year.

``document_number_take`` must run inside the transaction that issues the document: it
increments the year's counter row with one ``UPDATE ... RETURNING``, which keeps the row
locked until the transaction ends, so a concurrent issuer waits for this transaction to
end; if the issue rolls back, so does the increment. A number is therefore consumed only
by a committed issue: no gaps, no duplicates (also guarded by unique constraints on
``number`` and ``(year, sequence)``). Callers take the number last, after all checks and
computations, to hold the lock for as short a time as possible.

Formats: invoices use the partner setting ``invoice_number_format`` (placeholders
``{country}``, ``{year}``, ``{seq}``, e.g. ``{country}-{year}-{seq:06d}`` gives
``DE-2026-000123``). Credit notes and estimates have their own series, formatted the same
way behind a fixed prefix: ``CN-DE-2026-000001``, ``EST-DE-2026-000001``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, transaction
from django.utils.translation import gettext as _

from common.tenancy import current_partner
from tenants.invoicing.exceptions import NumberFormatInvalid
from tenants.invoicing.models import DocumentSequence
from tenants.partner_settings.selectors import partner_settings_get

PREFIXES = {
    DocumentSequence.Kind.INVOICE: "",
    DocumentSequence.Kind.CREDIT_NOTE: "CN-",
    DocumentSequence.Kind.ESTIMATE: "EST-",
}
MAX_NUMBER_LENGTH = 60

_TABLE = DocumentSequence._meta.db_table
# Unqualified: the table resolves through the tenant's search_path, as every ORM query does.
_INCREMENT_SQL = (
    f'UPDATE "{_TABLE}" SET last_value = last_value + 1 '
    "WHERE kind = %s AND year = %s RETURNING last_value"
)
_CREATE_SQL = (
    f'INSERT INTO "{_TABLE}" (kind, year, last_value) VALUES (%s, %s, 0) '
    "ON CONFLICT (kind, year) DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class TakenNumber:
    year: int
    sequence: int
    number: str


@lru_cache(maxsize=64)
def number_format_check(fmt: str, *, country: str = "XX") -> str:
    """Check an invoice number format: it must format with ``{country}``, ``{year}`` and
    ``{seq}`` only, and give different numbers for different sequences and years (else
    numbers would collide). Returns ``fmt``; raises ``NumberFormatInvalid``."""
    try:
        samples = {
            fmt.format(country=country, year=year, seq=seq)
            for year in (2026, 2027)
            for seq in (1, 2)
        }
        longest = fmt.format(country=country, year=9999, seq=999_999_999)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        raise NumberFormatInvalid(
            _("The number format %(format)s cannot be used: %(error)s")
            % {"format": fmt, "error": exc},
            {"fields": {"invoice_number_format": [str(exc)]}},
        ) from None
    if len(samples) != 4:
        raise NumberFormatInvalid(
            _("The number format must contain {year} and {seq}."),
            {"fields": {"invoice_number_format": [_("{year} and {seq} are required.")]}},
        )
    if len(longest) + 4 > MAX_NUMBER_LENGTH:
        raise NumberFormatInvalid(
            _("The number format gives numbers that are too long."),
            {"fields": {"invoice_number_format": [_("Too long.")]}},
        )
    return fmt


def _number_format() -> str:
    return partner_settings_get().invoice_number_format


def document_number_take(*, kind: str, year: int, number_format: str | None = None) -> TakenNumber:
    """Consume the next number of ``kind`` (``DocumentSequence.Kind``) for ``year`` in the
    current partner's schema. ``number_format``: the partner's ``invoice_number_format``
    when the caller already read the settings (else read here). Must be called inside the
    issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_number_take must run inside the issuing transaction.")
    country = current_partner().country
    fmt = number_format_check(number_format or _number_format(), country=country)
    # One statement locks the year's counter row and increments it; the lock holds until
    # this transaction ends, so concurrent issuers queue here and then read the committed
    # value. The year's first number creates the row first (a concurrent creator wins on
    # the unique constraint, the other waits for it) and then increments it the same way.
    with connection.cursor() as cursor:
        cursor.execute(_INCREMENT_SQL, [kind, year])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(_CREATE_SQL, [kind, year])
            cursor.execute(_INCREMENT_SQL, [kind, year])
            row = cursor.fetchone()
    sequence = row[0]
    number = PREFIXES[kind] + fmt.format(country=country, year=year, seq=sequence)
    return TakenNumber(year, sequence, number)
