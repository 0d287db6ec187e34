"""VAT rules for invoices, credit notes and estimates.

Rates are fractions (``Decimal('0.19')`` = 19 %), looked up by the date of the document
(the issue date; today for a draft), never by the current date alone.

Where the rates come from: one dated data file per country, ``vat_rates/<cc>.toml`` (see
its README), the only source: each rate with its kind (standard, reduced, super-reduced,
parking), its period and its legal source. A country without a file has no known rate
(``VatRuleMissing``); a file that cannot be read or checked raises ``VatRatesInvalid``,
and ``manage.py check`` reports it (``tenants.invoicing.checks``).

Which regime applies (``vat_decision``), for a supply of services by the cooperative:

- client in the seller's country: the seller's standard rate (a line may state one of the
  country's other rates in force, e.g. a reduced rate, or 0 for an exempt supply);
- seller and client in two different EU member states, client a company with a VAT number
  valid for its country: reverse charge, rate 0, with the legal mention
  ``REVERSE_CHARGE_MENTION`` (Art. 44 and 196 of Directive 2006/112/EC);
- seller and client in two EU member states otherwise (a consumer, or a company without a
  VAT number): the seller's rates, as at home (Art. 45: place of supply of the supplier);
- client outside the seller's VAT area (outside the EU for an EU seller; any other country
  for a seller outside the EU): export, rate 0, with ``EXPORT_MENTION`` (Art. 44 and 59).

An explicit line rate overrides the default only when it is allowed: one of the
country's rates in force on the date (or 0) under the domestic regime, and only 0 under
reverse charge or export (the law fixes the rate there).

Not modelled (said so in the report of issue 4): VIES online checks of VAT numbers (the
check is the number's format and check digits, with python-stdnum), special place-of-supply
rules (immovable property, events, passenger transport), Canadian provincial HST and US
sales taxes (the files hold federal values only).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumValidationError

from tenants.invoicing.exceptions import (
    ClientVatNumberInvalid,
    VatRateNotAllowed,
    VatRatesInvalid,
    VatRuleMissing,
)

# EU member states (ISO 3166-1 alpha-2). The United Kingdom left on 2020-12-31.
EU_MEMBER_STATES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
# The VAT prefix differs from the ISO code for Greece.
_VAT_PREFIX = {"GR": "EL"}

REVERSE_CHARGE_MENTION = "Autoliquidation / Reverse charge — Art. 196 Directive 2006/112/EC"
EXPORT_MENTION = (
    "Export outside the EU — VAT not applicable "
    "(place of supply outside the EU, Art. 44 and 59 Directive 2006/112/EC)"
)
NON_EU_EXPORT_MENTION = "Export of services — VAT not applicable in the seller's country"


class Regime:
    DOMESTIC = "domestic"
    REVERSE_CHARGE = "reverse_charge"
    EXPORT = "export"

    choices = [
        (DOMESTIC, _("Seller's VAT")),
        (REVERSE_CHARGE, _("Reverse charge")),
        (EXPORT, _("Export")),
    ]


RATES_DIR = Path(__file__).resolve().parent / "vat_rates"
RATE_KINDS = ("standard", "reduced", "super_reduced", "parking")
RATE_PLACES = 4  # a line's vat_rate column holds 4 decimals
_RATE_KEYS = frozenset({"kind", "value", "effective_from", "effective_until", "source", "note"})


@dataclass(frozen=True, slots=True)
class DatedRate:
    """One VAT rate (a fraction) of a country over a period; ``effective_until`` inclusive,
    None when open-ended."""

    kind: str
    rate: Decimal
    effective_from: dt.date
    effective_until: dt.date | None
    source: str
    note: str = ""

    def covers(self, on: dt.date) -> bool:
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )


def _invalid_rates(file: str, message: str, entry: int | None = None) -> VatRatesInvalid:
    where = f"{file}: rate #{entry + 1}: " if entry is not None else f"{file}: "
    details: dict = {"file": file}
    if entry is not None:
        details["entry"] = entry + 1
    return VatRatesInvalid(where + message, details)


def _date(raw: dict, key: str, file: str, i: int) -> dt.date | None:
    value = raw.get(key)
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    raise _invalid_rates(file, f"{key} must be a date (YYYY-MM-DD), not {value!r}.", i)


def _parse_rate(raw: Any, file: str, i: int) -> DatedRate:
    if not isinstance(raw, dict):
        raise _invalid_rates(file, "a rate is a table.", i)
    unknown = set(raw) - _RATE_KEYS
    if unknown:
        raise _invalid_rates(file, f"unknown keys {sorted(unknown)}.", i)
    kind = raw.get("kind")
    if kind not in RATE_KINDS:
        raise _invalid_rates(file, f"kind must be one of {', '.join(RATE_KINDS)}, not {kind!r}.", i)
    value = raw.get("value")
    try:
        rate = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate < 1:
        raise _invalid_rates(file, f"value must be a fraction as a string, not {value!r}.", i)
    if -rate.normalize().as_tuple().exponent > RATE_PLACES:
        raise _invalid_rates(file, f"value {value!r} has more than {RATE_PLACES} decimals.", i)
    start = _date(raw, "effective_from", file, i)
    if start is None:
        raise _invalid_rates(file, "missing effective_from.", i)
    end = _date(raw, "effective_until", file, i)
    if end is not None and end < start:
        raise _invalid_rates(file, f"effective_until {end} is before effective_from {start}.", i)
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _invalid_rates(file, "missing source (a legal reference and an official URL).", i)
    return DatedRate(kind, rate, start, end, source.strip(), str(raw.get("note", "")))


def _check_overlaps(rates: list[DatedRate], file: str) -> None:
    """No two periods of one standard rate, nor of one (kind, value), may overlap."""
    groups: dict[tuple, list[DatedRate]] = {}
    for rate in rates:
        key = ("standard",) if rate.kind == "standard" else (rate.kind, rate.rate)
        groups.setdefault(key, []).append(rate)
    for periods in groups.values():
        periods.sort(key=lambda r: r.effective_from)
        for before, after in zip(periods, periods[1:], strict=False):
            if before.effective_until is None or before.effective_until >= after.effective_from:
                raise _invalid_rates(
                    file,
                    f"the {after.kind} rate {after.rate} from {after.effective_from} overlaps "
                    f"the {before.kind} rate {before.rate} from {before.effective_from}.",
                )


def load_vat_rates(country: str, *, rates_dir: Path | None = None) -> tuple[DatedRate, ...]:
    """The dated VAT rates of ``country`` (ISO 3166-1 alpha-2) from ``<cc>.toml`` in
    ``rates_dir`` (default ``RATES_DIR``, ``vat_rates/``, see its README), sorted by kind and
    date; ``()`` when the country has no file.

    Raises ``VatRatesInvalid`` naming the file and the entry for a file that cannot be read
    or is not valid TOML, a country code that does not match the file name, an unknown
    key or kind, a value that is not a fraction string of at most 4 decimals, a missing
    date or source, overlapping periods, or no standard rate.
    """
    code = (country or "").strip().lower()
    path = (rates_dir or RATES_DIR) / f"{code}.toml"
    if not (len(code) == 2 and code.isascii() and code.isalpha()) or not path.exists():
        return ()
    file = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _invalid_rates(file, f"cannot read the file ({exc.strerror}).") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _invalid_rates(file, f"not valid TOML: {exc}.") from None
    header = data.get("country")
    if not isinstance(header, dict) or header.get("code") != code.upper():
        raise _invalid_rates(file, f'[country] code must be "{code.upper()}".')
    entries = data.get("rate")
    if not isinstance(entries, list) or not entries:
        raise _invalid_rates(file, "no [[rate]] entries.")
    rates = [_parse_rate(raw, file, i) for i, raw in enumerate(entries)]
    if not any(rate.kind == "standard" for rate in rates):
        raise _invalid_rates(file, "no standard rate.")
    _check_overlaps(rates, file)
    return tuple(sorted(rates, key=lambda r: (RATE_KINDS.index(r.kind), r.effective_from)))


@cache
def vat_rates(country: str) -> tuple[DatedRate, ...]:
    """``load_vat_rates`` for the shipped files, read once per process."""
    return load_vat_rates(country)


def vat_rate_files(*, rates_dir: Path | None = None) -> list[str]:
    """The country codes (upper case) that have a rate file."""
    return sorted(path.stem.upper() for path in (rates_dir or RATES_DIR).glob("*.toml"))


@dataclass(frozen=True, slots=True)
class CountryRates:
    """The rates of one country in force on one date."""

    standard: Decimal
    allowed: frozenset[Decimal]
    source: str


def country_rates(*, country: str, on: dt.date) -> CountryRates:
    """The VAT rates of ``country`` (ISO 3166-1 alpha-2) in force on ``on``: the standard
    rate (fraction), every rate a line may state explicitly there (each listed rate in
    force, and 0 for an exempt supply), and the standard rate's source.

    Raises ``VatRuleMissing`` when the country has no rate file or no standard rate on
    that date, ``VatRatesInvalid`` when its file is broken.
    """
    country = (country or "").upper()
    in_force = [rate for rate in vat_rates(country) if rate.covers(on)]
    standard = next((rate for rate in in_force if rate.kind == "standard"), None)
    if standard is None:
        raise VatRuleMissing(
            _("No VAT rate is known for %(country)s on %(date)s.")
            % {"country": country, "date": on.isoformat()},
            {"country": country, "date": on.isoformat()},
        )
    return CountryRates(
        standard=standard.rate,
        allowed=frozenset({Decimal(0), *(rate.rate for rate in in_force)}),
        source=f"vat_rates/{country.lower()}.toml: {standard.source}",
    )


@dataclass(frozen=True, slots=True)
class VatDecision:
    """How VAT applies to one document: its regime, the default rate for its lines, the
    rates a line may state explicitly, the legal mention to print and the rate's source."""

    regime: str
    default_rate: Decimal
    allowed: frozenset[Decimal]
    mention: str
    source: str

    def line_rate(self, explicit: Decimal | None) -> Decimal:
        """The rate of a line: ``explicit`` if allowed, else the default. Raises
        ``VatRateNotAllowed`` naming the allowed rates."""
        if explicit is None:
            return self.default_rate
        if explicit in self.allowed:
            return explicit
        allowed = ", ".join(str(r) for r in sorted(self.allowed))
        message = _(
            "The VAT rate %(rate)s is not allowed here (%(regime)s); allowed: %(allowed)s."
        ) % {"rate": explicit, "regime": self.regime, "allowed": allowed}
        raise VatRateNotAllowed(
            message,
            {
                "fields": {"vat_rate": [message]},
                "allowed": [str(r) for r in sorted(self.allowed)],
            },
        )


def vat_decision(
    *,
    seller_country: str,
    client_country: str,
    client_is_company: bool,
    client_vat_number: str,
    on: dt.date,
) -> VatDecision:
    """The VAT regime of a document from the seller (the partner) to a client, on ``on``.

    ``client_vat_number`` must already be validated (``vat_number_normalize``); an empty
    string means none. Raises ``VatRuleMissing`` for a domestic supply in a country with
    no known rate.
    """
    seller = seller_country.upper()
    client = client_country.upper()
    zero = frozenset({Decimal(0)})
    if seller in EU_MEMBER_STATES:
        if client not in EU_MEMBER_STATES:
            return VatDecision(Regime.EXPORT, Decimal(0), zero, EXPORT_MENTION, "Art. 44, 59")
        if client != seller and client_is_company and client_vat_number:
            return VatDecision(
                Regime.REVERSE_CHARGE, Decimal(0), zero, REVERSE_CHARGE_MENTION, "Art. 196"
            )
    elif client != seller:
        return VatDecision(Regime.EXPORT, Decimal(0), zero, NON_EU_EXPORT_MENTION, "export")
    rates = country_rates(country=seller, on=on)
    return VatDecision(Regime.DOMESTIC, rates.standard, rates.allowed, "", rates.source)


def vat_number_normalize(*, country: str, number: str) -> str:
    """Check ``number`` as a VAT number of ``country`` and return its compact form.

    EU countries: python-stdnum's ``stdnum.eu.vat`` (format and check digits), stored with
    the country prefix (``DE136695976``, ``EL...`` for Greece); the prefix is added when
    missing and must match the client's country. Other countries: the country's own
    python-stdnum module when there is one (``stdnum.ch.vat``, ``stdnum.gb.vat``...), else
    the number is kept as typed (trimmed). Empty stays empty.

    Raises ``ClientVatNumberInvalid`` with ``extra.fields.vat_number``.
    """
    number = (number or "").strip()
    if not number:
        return ""
    country = (country or "").upper()

    def invalid(reason: str) -> ClientVatNumberInvalid:
        return ClientVatNumberInvalid(
            _("%(number)s is not a valid VAT number for %(country)s: %(reason)s")
            % {"number": number, "country": country, "reason": reason},
            {"fields": {"vat_number": [str(reason)]}},
        )

    if country in EU_MEMBER_STATES:
        prefix = _VAT_PREFIX.get(country, country)
        compact = "".join(ch for ch in number if ch.isalnum()).upper()
        if compact[:2].isalpha():
            if compact[:2] != prefix:
                raise invalid(
                    _("the prefix %(found)s does not match the client's country.")
                    % {"found": compact[:2]}
                )
        else:
            compact = prefix + compact
        try:
            return eu_vat.validate(compact)
        except StdnumValidationError as exc:
            raise invalid(str(exc)) from None
    module = get_cc_module(country.lower(), "vat") if len(country) == 2 else None
    if module is None:
        if len(number) > 32:
            raise invalid(_("too long."))
        return number
    try:
        return module.validate(number)
    except StdnumValidationError as exc:
        raise invalid(str(exc)) from None


__all__ = [
    "EU_MEMBER_STATES",
    "EXPORT_MENTION",
    "REVERSE_CHARGE_MENTION",
    "CountryRates",
    "DatedRate",
    "Regime",
    "VatDecision",
    "VatRateNotAllowed",
    "country_rates",
    "load_vat_rates",
    "vat_decision",
    "vat_number_normalize",
]
