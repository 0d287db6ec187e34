"""Load and check a rule pack: a TOML file of dated parameters plus a country module.

Data file shape (``packs/data/<code>.toml``)::

    [pack]
    country = "DE"
    currency = "EUR"

    [[parameter]]
    name = "minijob_limit"
    value = "538.00"              # a decimal string, never a float
    unit = "EUR/month"            # from UNITS, money units in the pack's currency
    effective_from = 2024-01-01   # inclusive
    effective_until = 2024-12-31  # inclusive, optional (open-ended when absent)
    source = "https://..."        # official URL or legal reference, required
    note = "..."                  # optional

The loader refuses a pack with an unknown unit, overlapping periods for one parameter, a
missing source, or a parameter the module uses but the data lacks; each message names the
file and the parameter.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from common.errors import RuleNotFound, RulePackInvalid, ValidationFailed
from common.money import to_decimal, validate_currency
from tenants.labour_law.labels import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
PACK_CODES = ("be", "fr", "de", "it", "es", "at", "se", "generic")

# The closed set of units. Money units are "<CUR>/<period>" where CUR is the pack currency.
PLAIN_UNITS = frozenset({"fraction", "hours", "days", "months", "count"})
MONEY_PERIODS = frozenset({"hour", "day", "month", "year"})


def allowed_units(currency: str) -> frozenset[str]:
    """The units a pack in ``currency`` may use: ``fraction`` (0.186 means 18.6 %),
    ``hours``, ``days``, ``months``, ``count`` and ``<CUR>/hour|day|month|year``."""
    return PLAIN_UNITS | {f"{currency}/{p}" for p in MONEY_PERIODS}


@dataclass(frozen=True, slots=True)
class ParameterPeriod:
    """One value of a parameter over a period (``effective_until`` None: open-ended)."""

    name: str
    value: Decimal
    unit: str
    effective_from: date
    effective_until: date | None
    source: str
    note: str = ""

    def covers(self, on: date) -> bool:
        return self.effective_from <= on and (
            self.effective_until is None or on <= self.effective_until
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: value as a decimal string, dates as ISO strings."""
        return {
            "name": self.name,
            "value": str(self.value),
            "unit": self.unit,
            "effective_from": self.effective_from.isoformat(),
            "effective_until": self.effective_until.isoformat() if self.effective_until else None,
            "source": self.source,
            "note": self.note,
        }


@dataclass(eq=False)
class Pack:
    """A loaded rule pack. ``version`` changes whenever the data, the overrides or the
    module's ``VERSION`` change, so a simulation that records it can be reproduced."""

    code: str
    country: str
    currency: str
    version: str
    module: ModuleType
    parameters: Mapping[str, tuple[ParameterPeriod, ...]]
    source_file: str
    _starts: dict[str, list[date]] = field(default_factory=dict, repr=False)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._starts = {n: [p.effective_from for p in ps] for n, ps in self.parameters.items()}

    def period(self, name: str, on: date) -> ParameterPeriod:
        """The period of parameter ``name`` in force on ``on``; raises ``RuleNotFound``
        naming the parameter and the date when none is."""
        periods = self.parameters.get(name)
        if periods:
            i = bisect_right(self._starts[name], on) - 1
            if i >= 0 and periods[i].covers(on):
                return periods[i]
        raise RuleNotFound(
            _("No value of %(parameter)s is in force on %(date)s in the %(pack)s pack.")
            % {"parameter": repr(name), "date": on.isoformat(), "pack": self.code},
            {"parameter": name, "date": on.isoformat(), "pack": self.code},
        )

    def value(self, name: str, on: date) -> Decimal:
        """The value (Decimal, in the parameter's unit) of ``name`` on ``on``."""
        return self.period(name, on).value

    def in_force(self, on: date) -> list[ParameterPeriod]:
        """Every parameter period in force on ``on``, sorted by name."""
        found = []
        for name in sorted(self.parameters):
            try:
                found.append(self.period(name, on))
            except RuleNotFound:
                continue
        return found


def _fail(file: str, message: str, parameter: str | None = None, **extra: Any) -> RulePackInvalid:
    where = f"{file}: parameter {parameter!r}: " if parameter else f"{file}: "
    details = {"file": file, **extra}
    if parameter:
        details["parameter"] = parameter
    return RulePackInvalid(where + message, details)


def _as_date(value: Any, file: str, name: str, key: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(file, f"{key} must be a date (YYYY-MM-DD), not {value!r}.", name)


def _parse_entry(raw: Mapping[str, Any], file: str, units: frozenset[str]) -> ParameterPeriod:
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise _fail(file, f"an entry has no name: {dict(raw)!r}.")
    unknown_keys = set(raw) - {
        "name",
        "value",
        "unit",
        "effective_from",
        "effective_until",
        "source",
        "note",
    }
    if unknown_keys:
        raise _fail(file, f"unknown keys {sorted(unknown_keys)}.", name)
    value = raw.get("value")
    if not isinstance(value, str):
        raise _fail(file, f"value must be a decimal string, not {value!r}.", name)
    try:
        number = to_decimal(value, name)
    except ValidationFailed:
        raise _fail(file, f"value {value!r} is not a decimal number.", name) from None
    unit = raw.get("unit")
    if unit not in units:
        raise _fail(
            file, f"unknown unit {unit!r}; allowed: {', '.join(sorted(units))}.", name, unit=unit
        )
    if unit == "fraction" and not (0 <= number <= 1):
        raise _fail(
            file, _("a fraction must lie between 0 and 1, not %(value)s.") % {"value": value}, name
        )
    if number < 0:
        raise _fail(file, _("value must not be negative, not %(value)s.") % {"value": value}, name)
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _fail(file, _("missing source (an official URL or a legal reference)."), name)
    if "effective_from" not in raw:
        raise _fail(file, "missing effective_from.", name)
    start = _as_date(raw["effective_from"], file, name, "effective_from")
    until = raw.get("effective_until")
    end = _as_date(until, file, name, "effective_until") if until is not None else None
    if end is not None and end < start:
        raise _fail(
            file,
            _("effective_until %(end)s is before effective_from %(start)s.")
            % {"end": end, "start": start},
            name,
        )
    note = raw.get("note", "")
    return ParameterPeriod(name, number, unit, start, end, source.strip(), str(note))


def _index(entries: Iterable[ParameterPeriod], file: str) -> dict[str, tuple[ParameterPeriod, ...]]:
    by_name: dict[str, list[ParameterPeriod]] = {}
    for entry in entries:
        by_name.setdefault(entry.name, []).append(entry)
    result = {}
    for name, periods in by_name.items():
        periods.sort(key=lambda p: p.effective_from)
        units = {p.unit for p in periods}
        if len(units) > 1:
            raise _fail(file, f"periods use different units {sorted(units)}.", name)
        for before, after in zip(periods, periods[1:], strict=False):
            if before.effective_until is None or before.effective_until >= after.effective_from:
                raise _fail(
                    file,
                    f"overlapping periods: one from {before.effective_from} "
                    f"(until {before.effective_until or 'open-ended'}) and one from "
                    f"{after.effective_from}.",
                    name,
                )
        result[name] = tuple(periods)
    return result


def declared_parameters(module: ModuleType) -> tuple[str, ...]:
    """Every parameter name the country module uses (its ``PARAMETERS`` declaration)."""
    return tuple(module.PARAMETERS)


def load_pack(
    code: str,
    *,
    overrides: Iterable[Mapping[str, Any]] | None = None,
    currency: str | None = None,
    data_dir: str | Path | None = None,
) -> Pack:
    """Load the rule pack ``code`` (``be``, ``fr``, ``de``, ``it``, ``es``, ``at``, ``se`` or
    ``generic``) and check it.

    ``overrides``: dated-parameter dicts of the same shape as the data file's entries
    (name, value as a decimal string, unit, effective_from, optional effective_until,
    source, note). All overrides for one parameter name replace that parameter's whole
    timeline in the pack (a partner-specific rate, or the generic pack's values).
    ``currency``: ISO 4217 code, required for the ``generic`` pack (Academy tenants set
    it), refused for country packs whose currency is fixed by the data file unless equal.
    ``data_dir``: read ``<code>.toml`` from there instead of ``packs/data`` (tests).

    Returns a ``Pack``. Raises ``RulePackInvalid`` (naming the file and the parameter) for
    an unknown pack, unknown unit, overlapping periods, missing source, or a parameter the
    module uses that neither the data nor the overrides provide — for the generic pack the
    message lists every parameter the partner must still set. Figures and their sources
    live in the data files.
    """
    code = (code or "").strip().lower()
    if code not in PACK_CODES:
        raise RulePackInvalid(
            f"Unknown labour-law pack {code!r}; known packs: {', '.join(PACK_CODES)}.",
            {"pack": code},
        )
    module = importlib.import_module(f"tenants.labour_law.packs.{code}")
    path = Path(data_dir) / f"{code}.toml" if data_dir else DATA_DIR / f"{code}.toml"
    file = path.name if data_dir is None else str(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise _fail(file, f"cannot read the data file ({exc.strerror}).") from None
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(file, f"not valid TOML: {exc}.") from None

    header = data.get("pack", {})
    pack_currency = header.get("currency") or None
    if currency:
        currency = validate_currency(currency)
        if pack_currency and pack_currency != currency:
            raise _fail(file, f"the pack's currency is {pack_currency}, not {currency}.")
        pack_currency = currency
    if not pack_currency:
        if getattr(module, "PARTNER_SUPPLIED", False):
            missing = list(declared_parameters(module))
            raise RulePackInvalid(
                f"The {code} pack needs the partner's currency (currency=, e.g. 'USD') and "
                f"values the partner must set before use: {', '.join(missing)}.",
                {"pack": code, "missing": ["currency", *missing], "file": file},
            )
        raise _fail(file, "the pack has no currency; pass currency= (e.g. 'USD').")
    pack_currency = validate_currency(pack_currency)
    units = allowed_units(pack_currency)

    entries = [_parse_entry(raw, file, units) for raw in data.get("parameter", [])]
    override_list = [dict(o) for o in overrides or ()]
    if override_list:
        parsed = [_parse_entry(raw, "overrides", units) for raw in override_list]
        replaced = {p.name for p in parsed}
        entries = [e for e in entries if e.name not in replaced]
        _index(parsed, "overrides")
        entries.extend(parsed)
    parameters = _index(entries, file)

    missing = [n for n in declared_parameters(module) if n not in parameters]
    if missing:
        if getattr(module, "PARTNER_SUPPLIED", False):
            raise RulePackInvalid(
                f"The {code} pack needs values the partner must set before use: "
                f"{', '.join(missing)}. Pass them as overrides "
                "(name, value, unit, effective_from, source).",
                {"pack": code, "missing": missing, "file": file},
            )
        raise _fail(
            file,
            "used by the country module but absent from the data.",
            missing[0],
            missing=missing,
        )

    digest = hashlib.sha256(raw_bytes)
    if override_list:
        digest.update(json.dumps(override_list, sort_keys=True, default=str).encode())
    digest.update(pack_currency.encode())
    version = f"{code}-{module.VERSION}-{digest.hexdigest()[:12]}"
    return Pack(
        code=code,
        country=header.get("country", code.upper()),
        currency=pack_currency,
        version=version,
        module=module,
        parameters=parameters,
        source_file=file,
    )
