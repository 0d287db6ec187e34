"""Validation of a member's identifiers and an activity's sector, with python-stdnum for
the partner's country (no hand-written regexes)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from stdnum import iban as std_iban
from stdnum.at import vnr as at_vnr
from stdnum.be import ssn as be_ssn
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as fr_nir
from stdnum.it import codicefiscale as it_cf
from stdnum.se import personnummer as se_pnr

# The personal identification number checked for each partner country.
# BE: national register number or BIS number (stdnum.be.ssn accepts both).
# DE: stdnum has no Sozialversicherungsnummer; the tax identification number (IdNr,
#     which every resident has and every employer needs for payroll) is checked instead.
# ES: DNI for nationals, NIE for foreigners.
NATIONAL_ID_VALIDATORS = {
    "BE": (be_ssn,),
    "FR": (fr_nir,),
    "DE": (de_idnr,),
    "IT": (it_cf,),
    "ES": (es_dni, es_nie),
    "AT": (at_vnr,),
    "SE": (se_pnr,),
}

NATIONAL_ID_NAMES = {
    "BE": "national register or BIS number",
    "FR": "NIR (social security number)",
    "DE": "tax identification number (IdNr)",
    "IT": "codice fiscale",
    "ES": "DNI or NIE",
    "AT": "social insurance number (VNR)",
    "SE": "personnummer",
}


class IdentifierInvalid(ValueError):
    pass


def national_id_normalise(value: str, country: str) -> str:
    """``value`` compacted if valid for ``country`` (ISO 3166-1 alpha-2); free text for
    countries without a validator. Raises ``IdentifierInvalid``."""
    value = (value or "").strip()
    if not value:
        return ""
    modules = NATIONAL_ID_VALIDATORS.get((country or "").upper())
    if not modules:
        if len(value) > 40:
            raise IdentifierInvalid(_("At most 40 characters."))
        return value
    for module in modules:
        try:
            return module.validate(value)
        except StdnumError:
            continue
    raise IdentifierInvalid(
        _("Not a valid %(name)s.") % {"name": NATIONAL_ID_NAMES[country.upper()]}
    )


def iban_normalise(value: str) -> str:
    """``value`` compacted (no spaces, upper case) if a valid IBAN; raises
    ``IdentifierInvalid``."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return std_iban.validate(value)
    except StdnumError:
        raise IdentifierInvalid(_("Not a valid IBAN.")) from None


@lru_cache(maxsize=1)
def nace_divisions() -> dict[str, tuple[str, str]]:
    """``{"62": ("J", "Computer programming, ...")}`` from the shipped NACE Rev. 2 list."""
    path = Path(__file__).parent / "data" / "nace_rev2_divisions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["division"]: (row["section"], row["label"]) for row in csv.DictReader(handle)}


_NACE_CODE = re.compile(r"^(\d{2})(?:\.(\d)(\d)?)?$")


def nace_normalise(value: str) -> str:
    """A NACE Rev. 2 code at division ("62"), group ("62.0") or class ("62.01") level whose
    division exists. Groups and classes are checked for shape and division only (the
    shipped list stops at divisions). Raises ``IdentifierInvalid``."""
    code = (value or "").strip()
    match = _NACE_CODE.match(code)
    if not match:
        raise IdentifierInvalid(_('A NACE Rev. 2 code such as "62" or "62.01" is expected.'))
    if match.group(1) not in nace_divisions():
        raise IdentifierInvalid(
            _("NACE Rev. 2 has no division %(code)s.") % {"code": match.group(1)}
        )
    return code
