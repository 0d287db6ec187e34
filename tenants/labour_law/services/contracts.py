"""Accepting a contract: recomputed on the server from the activity's balance, recorded,
and its employer cost debited from the activity's ledger in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import ValidationFailed
from common.money import Money
from tenants.audit.services import audit_record
from tenants.labour_law import selectors
from tenants.labour_law.checks import check_date
from tenants.labour_law.exceptions import (
    ContractExceedsBalance,
    ContractNotAllowed,
    ProposalChanged,
)
from tenants.labour_law.labels import translate_label, translate_reason
from tenants.labour_law.models import Contract
from tenants.labour_law.snapshots import pack_snapshot
from tenants.members.models import Activity, ActivityStatus
from tenants.members.services import ledger_post


@transaction.atomic
def contract_create(
    *,
    actor,
    activity: Activity,
    contract_type: str,
    start: dt.date,
    end: dt.date | None = None,
    hours: Decimal | None = None,
    amount: Decimal | None = None,
    pack_version: str | None = None,
) -> Contract:
    """Accept a contract proposal: re-compute it on the server from the activity's balance
    (never from client figures), create the ``Contract`` and debit its employer cost from
    the activity through the ledger (one entry, idempotency key ``contract:<id>``).

    ``amount``: the employer budget to use (Decimal, partner currency), at most the
    balance; default the whole balance. ``pack_version``: the version the client's proposal
    showed; when given and different, the proposal is refused as changed. The activity row
    is locked for the transaction, so two acceptances cannot spend the same balance.

    Raises ``ContractExceedsBalance`` (409: amount above the balance, or no balance),
    ``ContractNotAllowed`` (the proposal is not feasible: ``extra["reasons"]``),
    ``ProposalChanged``, ``ValidationFailed`` (unknown contract type, dates), ``RuleNotFound``,
    ``PackNotConfigured``. Nothing is written when any is raised.
    """
    check_date(start, "start")
    if end is not None:
        check_date(end, "end")
    pack = selectors.partner_pack()
    cur = pack.currency
    if pack_version is not None and pack_version != pack.version:
        raise ProposalChanged(
            _(
                "The proposal was computed with pack version %(recorded)s; the rules in force "
                "are now %(current)s. Ask for a new proposal."
            )
            % {"recorded": pack_version, "current": pack.version},
            {"pack_version": pack.version},
        )
    known = {ct.code: ct for ct in pack.module.CONTRACT_TYPES}
    if contract_type not in known:
        raise ValidationFailed(
            _("Unknown contract type %(contract_type)s; allowed here: %(known)s.")
            % {"contract_type": repr(contract_type), "known": ", ".join(known)},
            {"fields": {"contract_type": [_("One of: %(known)s.") % {"known": ", ".join(known)}]}},
        )
    if not known[contract_type].salaried:
        raise ContractNotAllowed(
            _("%(contract)s pays no salary: nothing to debit.")
            % {"contract": translate_label(known[contract_type].label)},
            {
                "reasons": [
                    _("%(contract)s pays no salary.")
                    % {"contract": translate_label(known[contract_type].label)}
                ]
            },
        )
    # Lock the activity so concurrent acceptances see each other's debits.
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.status != ActivityStatus.ACTIVE:
        raise ContractNotAllowed(
            _("The activity is %(status)s; contracts are made on active activities only.")
            % {"status": locked.get_status_display()},
            {"reasons": [_("The activity is not active.")]},
        )
    pack, balance, budget, proposals = selectors.contract_proposals_for(
        activity=locked, start=start, end=end, hours_wanted=hours, amount=amount, pack=pack
    )
    proposal = next(p for p in proposals if p.contract_type == contract_type)
    if not proposal.feasible:
        reasons = [translate_reason(r) for r in proposal.reasons]
        raise ContractNotAllowed(" ".join(reasons), {"reasons": reasons})
    sim = proposal.simulation
    assert sim is not None  # a feasible salaried proposal always carries its simulation
    if sim.employer_cost.amount > balance.amount:  # pragma: no cover - engine guarantee
        raise ContractExceedsBalance(extra={"balance": str(balance.amount)})
    contract = Contract.objects.create(
        activity=locked,
        contract_type=contract_type,
        start=proposal.start,
        end=proposal.end,
        hours=hours,
        currency=cur,
        employer_budget=budget.amount,
        gross=sim.gross.amount,
        net=sim.net.amount,
        employer_contributions=sim.employer_contributions.amount,
        employee_contributions=sim.employee_contributions.amount,
        withholding=sim.withholding.amount,
        employer_cost=sim.employer_cost.amount,
        simulation=sim.to_dict(),
        pack_code=pack.code,
        pack_version=pack.version,
        parameters=pack_snapshot(pack, [proposal.start]),
        created_by=actor,
    )
    entry = ledger_post(
        activity=locked,
        kind="salary",
        amount=Money(-sim.employer_cost.amount, cur),
        booked_on=proposal.start,
        description=(
            f"Contract {contract.pk} ({contract_type}), {proposal.start.isoformat()} to "
            f"{proposal.end.isoformat()}: gross {sim.gross.amount} + employer contributions "
            f"{sim.employer_contributions.amount} {cur}"
        ),
        rule={
            "rule": "salary",
            "pack": pack.code,
            "version": pack.version,
            "as_of": proposal.start.isoformat(),
            "contract_type": contract_type,
            "gross": str(sim.gross.amount),
            "employer_contributions": str(sim.employer_contributions.amount),
            "employer_cost": str(sim.employer_cost.amount),
            "lines": [line.to_dict() for line in sim.lines if line.kind == "employer"],
            "parameters": contract.parameters["parameters"],
        },
        source=contract,
        idempotency_key=f"contract:{contract.pk}",
        created_by=actor,
    )
    contract.ledger_entry = entry
    contract.save(update_fields=["ledger_entry"])
    audit_record(
        actor=actor,
        action="contract.create",
        obj=contract,
        changes={
            "activity": locked.pk,
            "contract_type": contract_type,
            "start": proposal.start,
            "end": proposal.end,
            "employer_cost": sim.employer_cost.amount,
            "pack_version": pack.version,
            "ledger_entry": entry.pk,
        },
    )
    return contract
