"""Countries: ISO 3166-1 alpha-2 codes, as CLDR (through Babel) knows them."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

# CLDR territory codes that are not countries: unknown region, EU, euro area, UN,
# outlying Oceania, and the pseudo-territories used for testing.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


def country_code(value: object) -> str | None:
    """``value`` upper-cased if it is an ISO 3166-1 alpha-2 country code, else None."""
    code = str(value or "").strip().upper()
    return code if code in _countries() else None
