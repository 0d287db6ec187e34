"""Labour-law rule packs: one per country plus a ``generic`` pack for Academy tenants.

``load_pack(code, overrides=..., currency=...)`` reads ``data/<code>.toml`` (dated
parameters with unit and source) and the country module ``<code>.py`` (structure), checks
them and returns a ``Pack``. ``get_pack(code)`` is the cached form for packs without
overrides.
"""

from __future__ import annotations

from functools import cache

from tenants.labour_law.packs.loader import (
    PACK_CODES,
    Pack,
    ParameterPeriod,
    allowed_units,
    load_pack,
)

__all__ = ["PACK_CODES", "Pack", "ParameterPeriod", "allowed_units", "get_pack", "load_pack"]


@cache
def get_pack(code: str) -> Pack:
    """The shipped pack ``code`` without overrides, loaded once per process. Raises
    ``RulePackInvalid`` as ``load_pack`` does (the generic pack always needs overrides)."""
    return load_pack(code)
