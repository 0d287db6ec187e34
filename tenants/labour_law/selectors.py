"""Reading the labour-law layer: which pack the current partner uses, its parameters, and
the recorded simulations, plans and contracts a user may see (a member: only their own).

The pack follows the partner's country (``connection.tenant.country``): BE, FR, DE, IT, ES,
AT and SE have their own pack; every other country uses the ``generic`` pack with the
values the partner's admin stored as ``PartnerParameter`` rows.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import import_module
from types import ModuleType
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from common.errors import RulePackInvalid
from common.money import Money
from tenants.labour_law.contracts import ContractProposal, propose_contracts
from tenants.labour_law.exceptions import (
    ContractNotFound,
    IncomePlanNotFound,
    PackNotConfigured,
    PartnerParameterNotFound,
    SalarySimulationNotFound,
)
from tenants.labour_law.models import Contract, IncomePlan, PartnerParameter, SalarySimulation
from tenants.labour_law.packs import Pack, get_pack, load_pack
from tenants.labour_law.packs.loader import declared_parameters

COUNTRY_PACKS = {"BE": "be", "FR": "fr", "DE": "de", "IT": "it", "ES": "es", "AT": "at", "SE": "se"}
GENERIC = "generic"


def _partner():
    partner = getattr(connection, "tenant", None)
    if partner is None or not getattr(partner, "country", None):
        raise PackNotConfigured(
            _("No partner is selected: rule packs apply in a partner's schema.")
        )
    return partner


def partner_pack_code() -> str:
    """The pack code of the current partner (``de``... or ``generic``)."""
    return COUNTRY_PACKS.get(_partner().country.upper(), GENERIC)


def partner_pack_module() -> ModuleType:
    """The country module (structure: contract types, protection rule) of the partner's
    pack; usable even before the generic pack's values are set."""
    return import_module(f"tenants.labour_law.packs.{partner_pack_code()}")


def partner_parameter_list() -> QuerySet[PartnerParameter]:
    """The partner's own dated values for the generic pack, by name then date."""
    return PartnerParameter.objects.order_by("name", "effective_from", "id")


def partner_parameter_get(*, pk) -> PartnerParameter:
    try:
        return partner_parameter_list().get(pk=pk)
    except (PartnerParameter.DoesNotExist, ValueError, TypeError):
        raise PartnerParameterNotFound() from None


@lru_cache(maxsize=256)
def _generic_pack(currency: str, overrides_json: str) -> Pack:
    return load_pack(GENERIC, currency=currency, overrides=json.loads(overrides_json))


def partner_pack() -> Pack:
    """The current partner's loaded pack.

    Raises ``PackNotConfigured`` (409) when the generic pack still lacks values
    (``extra["missing"]`` names them) or when the partner's currency is not its country
    pack's.
    """
    partner = _partner()
    code = partner_pack_code()
    if code != GENERIC:
        pack = get_pack(code)
        if pack.currency != partner.currency:
            raise PackNotConfigured(
                _(
                    "The %(pack)s pack computes in %(pack_currency)s but this partner works in "
                    "%(currency)s."
                )
                % {"pack": code, "pack_currency": pack.currency, "currency": partner.currency},
                {"pack": code, "currencies": [pack.currency, partner.currency]},
            )
        return pack
    overrides = [row.as_override() for row in partner_parameter_list()]
    try:
        return _generic_pack(partner.currency, json.dumps(overrides, sort_keys=True))
    except RulePackInvalid as exc:
        missing = exc.extra.get("missing")
        if missing:
            raise PackNotConfigured(
                _(
                    "This partner's labour-law parameters are not all set; the partner's "
                    "administrator must set: %(missing)s."
                )
                % {"missing": ", ".join(missing)},
                {"pack": GENERIC, "missing": list(missing)},
            ) from None
        raise PackNotConfigured(str(exc), {"pack": GENERIC, **exc.extra}) from None


def pack_missing_parameters() -> list[str]:
    """The parameter names the partner must still set (always empty for country packs)."""
    if partner_pack_code() != GENERIC:
        return []
    names = set(partner_parameter_list().values_list("name", flat=True))
    return [n for n in declared_parameters(partner_pack_module()) if n not in names]


def partner_parameters_on(*, on: dt.date) -> list[dict[str, Any]]:
    """The partner's own generic-pack values in force on ``on`` (for a pack that cannot load
    yet), in ``ParameterPeriod.to_dict()`` shape."""
    rows = (
        partner_parameter_list()
        .filter(effective_from__lte=on)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
    )
    out = []
    for row in rows:
        data = row.as_override()
        data.setdefault("effective_until", None)
        out.append(data)
    return out


# --------------------------------------------------------------------------- records


def _own(qs: QuerySet, user) -> QuerySet:
    """A member sees the records they made and those on their own activities."""
    if getattr(user, "role", None) == "member":
        return qs.filter(Q(created_by_id=user.pk) | Q(activity__member__user_id=user.pk))
    return qs


def salary_simulation_list(*, user) -> QuerySet[SalarySimulation]:
    return _own(SalarySimulation.objects.select_related("created_by", "activity"), user)


def salary_simulation_get(*, user, pk) -> SalarySimulation:
    try:
        return salary_simulation_list(user=user).get(pk=pk)
    except (SalarySimulation.DoesNotExist, ValueError, TypeError):
        raise SalarySimulationNotFound() from None


def income_plan_list(*, user) -> QuerySet[IncomePlan]:
    return _own(IncomePlan.objects.select_related("created_by", "activity"), user)


def income_plan_get(*, user, pk) -> IncomePlan:
    try:
        return income_plan_list(user=user).get(pk=pk)
    except (IncomePlan.DoesNotExist, ValueError, TypeError):
        raise IncomePlanNotFound() from None


def contract_list(*, user) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("activity", "activity__member", "ledger_entry")
    if getattr(user, "role", None) == "member":
        qs = qs.filter(activity__member__user_id=user.pk)
    return qs


def contract_get(*, user, pk) -> Contract:
    try:
        return contract_list(user=user).get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise ContractNotFound() from None


# --------------------------------------------------------------------------- proposals


def contract_proposals(
    *,
    pack: Pack,
    balance: Money,
    start: dt.date,
    end: dt.date | None = None,
    hours_wanted=None,
) -> list[ContractProposal]:
    """``propose_contracts`` for the partner's pack (a read: nothing is recorded)."""
    return propose_contracts(pack, balance=balance, on=start, end=end, hours_wanted=hours_wanted)
