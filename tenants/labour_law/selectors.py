"""Reading the labour-law layer: which pack the current partner uses, its parameters, and
the recorded simulations, plans and contracts a user may see (a member: only their own).

The pack follows the partner's country (``current_partner().country``): BE, FR, DE, IT, ES,
AT and SE have their own pack; every other country uses the ``generic`` pack with the
values the partner's admin stored as ``PartnerParameter`` rows.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import lru_cache
from importlib import import_module
from types import ModuleType
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from common.accounts.acting import is_member
from common.errors import RulePackInvalid
from common.money import Money
from common.months import month_starts
from common.tenancy import current_partner
from tenants.labour_law import recorded
from tenants.labour_law.checks import activity_budget, check_date, money_in
from tenants.labour_law.contracts import ContractProposal, propose_contracts
from tenants.labour_law.exceptions import (
    ContractExceedsBalance,
    ContractNotFound,
    IncomePlanNotFound,
    PackNotConfigured,
    PartnerParameterNotFound,
    SalarySimulationNotFound,
)
from tenants.labour_law.models import Contract, IncomePlan, PartnerParameter, SalarySimulation
from tenants.labour_law.packs import Pack, get_pack, load_pack
from tenants.labour_law.packs.loader import declared_parameters
from tenants.members.models import Activity
from tenants.partner_settings.exceptions import FeeRateNotFound
from tenants.partner_settings.selectors import fee_rate

COUNTRY_PACKS = {"BE": "be", "FR": "fr", "DE": "de", "IT": "it", "ES": "es", "AT": "at", "SE": "se"}
GENERIC = "generic"


def partner_pack_code() -> str:
    """The pack code of the current partner (``de``... or ``generic``). Raises
    ``PartnerRequired`` outside a partner's schema."""
    return COUNTRY_PACKS.get(current_partner().country.upper(), GENERIC)


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
    partner = current_partner()
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


def fee_rate_or_none(*, on: dt.date) -> Decimal | None:
    """The partner's fee rate (fraction) in force on ``on``, or None when none is."""
    try:
        return fee_rate(on=on)
    except FeeRateNotFound:
        return None


# --------------------------------------------------------------------------- records


def _own(qs: QuerySet, user) -> QuerySet:
    """A member sees the records they made and those on their own activities."""
    if is_member(user):
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
    if is_member(user):
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


def contract_proposals_for(
    *,
    activity: Activity,
    start: dt.date,
    end: dt.date | None = None,
    hours_wanted: Decimal | None = None,
    amount: Decimal | None = None,
    pack: Pack | None = None,
) -> tuple[Pack, Money, Money, list[ContractProposal]]:
    """Contract proposals (``contracts.ContractProposal``, one per contract type of the
    partner's country) for ``activity`` from ``start``, paid from ``amount`` (Decimal,
    at most the balance) or the whole balance. Reads only.

    Returns ``(pack, balance, budget, proposals)`` (balance and budget as Money). Raises
    ``ContractExceedsBalance`` (amount above the balance, zero or negative balance),
    ``ValidationFailed`` (dates, hours), ``RuleNotFound``, ``PackNotConfigured``.
    """
    check_date(start, "start")
    if end is not None:
        check_date(end, "end")
    pack = pack or partner_pack()
    balance = activity_budget(activity)
    budget = balance
    if amount is not None:
        requested = money_in(amount, pack.currency, "amount", allow_zero=False)
        if requested > balance:
            raise ContractExceedsBalance(
                _(
                    "This contract would use %(amount)s but the activity's balance is "
                    "%(balance)s; nothing was changed."
                )
                % {"amount": requested, "balance": balance},
                {"balance": str(balance.amount), "amount": str(requested.amount)},
            )
        budget = requested
    if budget.amount <= 0:
        raise ContractExceedsBalance(
            _("The activity's balance is %(balance)s: it cannot pay a contract.")
            % {"balance": balance},
            {"balance": str(balance.amount)},
        )
    proposals = contract_proposals(
        pack=pack, balance=budget, start=start, end=end, hours_wanted=hours_wanted
    )
    return pack, balance, budget, proposals


# --------------------------------------------------------------------------- reproductions


def salary_simulation_reproduce(*, simulation: SalarySimulation) -> dict[str, Any]:
    """Re-compute ``simulation`` from its recorded inputs and parameter snapshot.

    Returns ``{"matches": bool, "recorded_pack_version", "reproduced": result dict,
    "current_pack_version", "pack_changed": bool, "changes": [{"name", "recorded",
    "current"}], "current": result under today's pack data or None, "current_error"}``:
    ``matches`` is the guarantee (same figures from the same parameters); ``pack_changed``
    and ``changes`` say whether, and which, parameters in force on ``as_of`` have been
    edited in the pack since. Writes nothing.
    """
    return recorded.reproduction(
        recorded_result=simulation.result,
        snapshot=simulation.parameters,
        dates=[simulation.period_start],
        run=lambda pack: recorded.simulation_result(pack, simulation.inputs),
        current_pack=partner_pack,
    )


def income_plan_reproduce(*, plan: IncomePlan) -> dict[str, Any]:
    """As ``salary_simulation_reproduce``, for a recorded income plan."""
    return recorded.reproduction(
        recorded_result=plan.result,
        snapshot=plan.parameters,
        dates=month_starts(plan.start_month, plan.months),
        run=lambda pack: recorded.plan_result(pack, plan.inputs),
        current_pack=partner_pack,
    )
