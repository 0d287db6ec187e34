"""VAT rules for invoices, credit notes and estimates.

Rates are fractions (``Decimal('0.19')`` = 19 %), looked up by the date of the document
(the issue date; today for a draft), never by the current date alone.

Where the rate comes from: the partner country's labour-law rule pack
(``tenants/labour_law/packs/data/<cc>.toml``, parameters ``vat_standard_rate`` and any other
``vat_*_rate``), and, for a country or date the pack does not cover (or when no pack
exists, e.g. Academy countries), the small dated table ``FALLBACK_RATES`` below, each value
with its legal source.

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
sales taxes (the table holds federal values only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as StdnumValidationError

from tenants.invoicing.exceptions import ClientVatNumberInvalid, VatRateNotAllowed, VatRuleMissing
from tenants.labour_law.packs import PACK_CODES, get_pack

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


@dataclass(frozen=True, slots=True)
class DatedRate:
    """One VAT rate (fraction) of a country over a period; ``until`` inclusive or None."""

    rate: Decimal
    since: dt.date
    until: dt.date | None
    source: str
    kind: str = "standard"  # "standard" or "reduced"

    def covers(self, on: dt.date) -> bool:
        return self.since <= on and (self.until is None or on <= self.until)


def _r(rate, since, until=None, *, source, kind="standard") -> DatedRate:
    return DatedRate(
        Decimal(rate),
        dt.date.fromisoformat(since),
        dt.date.fromisoformat(until) if until else None,
        source,
        kind,
    )


# Dated fallback table: used only where the country's rule pack has no VAT value for the
# date. Standard rates and the usual reduced rates of the partner countries, plus the
# standard (federal) rate of Academy countries.
FALLBACK_RATES: dict[str, tuple[DatedRate, ...]] = {
    "AT": (
        _r("0.20", "1995-01-01", source="UStG 1994 § 10 Abs. 1"),
        _r("0.10", "1995-01-01", source="UStG 1994 § 10 Abs. 2", kind="reduced"),
        _r("0.13", "2016-01-01", source="UStG 1994 § 10 Abs. 3", kind="reduced"),
    ),
    "BE": (
        _r("0.21", "1996-01-01", source="Code de la TVA, AR n° 20 du 20 juillet 1970"),
        _r("0.06", "1996-01-01", source="AR n° 20, tableau A", kind="reduced"),
        _r("0.12", "1996-01-01", source="AR n° 20, tableau B", kind="reduced"),
    ),
    "DE": (
        _r("0.19", "2007-01-01", "2020-06-30", source="UStG § 12 Abs. 1"),
        _r("0.16", "2020-07-01", "2020-12-31", source="UStG § 28 Abs. 1 (Corona-StHG)"),
        _r("0.19", "2021-01-01", source="UStG § 12 Abs. 1"),
        _r("0.07", "2007-01-01", "2020-06-30", source="UStG § 12 Abs. 2", kind="reduced"),
        _r("0.05", "2020-07-01", "2020-12-31", source="UStG § 28 Abs. 2", kind="reduced"),
        _r("0.07", "2021-01-01", source="UStG § 12 Abs. 2", kind="reduced"),
    ),
    "ES": (
        _r("0.21", "2012-09-01", source="Ley 37/1992 art. 90 (RDL 20/2012)"),
        _r("0.10", "2012-09-01", source="Ley 37/1992 art. 91.Uno", kind="reduced"),
        _r("0.04", "1995-01-01", source="Ley 37/1992 art. 91.Dos", kind="reduced"),
    ),
    "FR": (
        _r("0.20", "2014-01-01", source="CGI art. 278"),
        _r("0.10", "2014-01-01", source="CGI art. 279", kind="reduced"),
        _r("0.055", "2014-01-01", source="CGI art. 278-0 bis", kind="reduced"),
        _r("0.021", "2014-01-01", source="CGI art. 281 quater", kind="reduced"),
    ),
    "IT": (
        _r("0.22", "2013-10-01", source="DPR 633/1972 art. 16"),
        _r("0.10", "1995-02-24", source="DPR 633/1972 tabella A parte III", kind="reduced"),
        _r("0.05", "2016-01-01", source="DPR 633/1972 tabella A parte II-bis", kind="reduced"),
        _r("0.04", "1989-01-01", source="DPR 633/1972 tabella A parte II", kind="reduced"),
    ),
    "SE": (
        _r("0.25", "1990-07-01", source="Mervärdesskattelagen (2023:200) 9 kap. 1 §"),
        _r("0.12", "1996-01-01", source="Mervärdesskattelagen 9 kap. 2 §", kind="reduced"),
        _r("0.06", "1996-01-01", source="Mervärdesskattelagen 9 kap. 3 §", kind="reduced"),
    ),
    "NL": (_r("0.21", "2012-10-01", source="Wet OB 1968 art. 9"),),
    "HU": (_r("0.27", "2012-01-01", source="2007. évi CXXVII. törvény 82. §"),),
    "FI": (
        _r("0.24", "2013-01-01", "2024-08-31", source="Arvonlisäverolaki 84 §"),
        _r("0.255", "2024-09-01", source="Arvonlisäverolaki 84 § (1780/2023)"),
    ),
    "GB": (_r("0.20", "2011-01-04", source="Value Added Tax Act 1994 s. 2"),),
    "CH": (
        _r("0.077", "2018-01-01", "2023-12-31", source="MWSTG Art. 25"),
        _r("0.081", "2024-01-01", source="MWSTG Art. 25"),
    ),
    "CL": (_r("0.19", "2003-10-01", source="DL 825 art. 14 (IVA)"),),
    "KR": (_r("0.10", "1977-07-01", source="부가가치세법 제30조 (VAT Act art. 30)"),),
    "CA": (_r("0.05", "2008-01-01", source="Excise Tax Act s. 165(1) (federal GST)"),),
    "AU": (_r("0.10", "2000-07-01", source="A New Tax System (GST) Act 1999 s. 9-70"),),
    "MA": (_r("0.20", "2007-01-01", source="Code général des impôts art. 98"),),
    # No federal VAT; state sales taxes are out of scope.
    "US": (_r("0", "1900-01-01", source="No federal VAT (state sales taxes not modelled)"),),
}


@dataclass(frozen=True, slots=True)
class CountryRates:
    """The rates of one country in force on one date."""

    standard: Decimal
    allowed: frozenset[Decimal]
    source: str


def _pack_rates(country: str, on: dt.date) -> CountryRates | None:
    """The VAT rates from the country's labour-law rule pack, or None when it has none."""
    code = country.lower()
    if code not in PACK_CODES:
        return None
    try:
        pack = get_pack(code)
    except Exception:  # noqa: BLE001 - a broken or missing pack falls back to the table
        return None
    standard = None
    allowed = {Decimal(0)}
    for period in pack.in_force(on):
        if period.name.startswith("vat_") and period.name.endswith("_rate"):
            allowed.add(period.value)
            if period.name == "vat_standard_rate":
                standard = period
    if standard is None:
        return None
    return CountryRates(
        standard=standard.value,
        allowed=frozenset(allowed),
        source=f"{pack.source_file} vat_standard_rate: {standard.source}",
    )


def _table_rates(country: str, on: dt.date) -> CountryRates | None:
    rates = [r for r in FALLBACK_RATES.get(country, ()) if r.covers(on)]
    standard = next((r for r in rates if r.kind == "standard"), None)
    if standard is None:
        return None
    return CountryRates(
        standard=standard.rate,
        allowed=frozenset({Decimal(0), *(r.rate for r in rates)}),
        source=standard.source,
    )


def country_rates(*, country: str, on: dt.date) -> CountryRates:
    """The VAT rates of ``country`` (ISO 3166-1 alpha-2) in force on ``on``: the standard
    rate (fraction) and every rate a line may state explicitly there.

    Raises ``VatRuleMissing`` when neither the rule pack nor the fallback table knows it.
    """
    country = (country or "").upper()
    found = _pack_rates(country, on) or _table_rates(country, on)
    if found is None:
        raise VatRuleMissing(
            _("No VAT rate is known for %(country)s on %(date)s.")
            % {"country": country, "date": on.isoformat()},
            {"country": country, "date": on.isoformat()},
        )
    return found


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
    "Regime",
    "VatDecision",
    "VatRateNotAllowed",
    "country_rates",
    "vat_decision",
    "vat_number_normalize",
]
