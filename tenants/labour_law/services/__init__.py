"""Writing the labour-law layer, one module per seam:

- ``simulations``: recorded salary simulations;
- ``income_plans``: recorded protection plans (monthly payouts);
- ``contracts``: accepted contracts, debited through the activity's ledger;
- ``parameters``: the generic pack's values a partner sets itself.

Every computation reads its parameters as of the date of the fact (the pay period's
start, each planned month's first day, the contract's start), never today, and records
the snapshot of the parameter periods it read (``snapshots.pack_snapshot``) with the
pack's version, so ``selectors.*_reproduce`` can re-run it later and show it gives the
same figures. Input rules shared with the selectors live in ``tenants.labour_law.checks``.

Amounts are ``Decimal`` in the partner's currency (the pack's); rates are fractions.
Other apps import from this package; code inside ``tenants.labour_law`` imports from the
precise module.
"""

from __future__ import annotations

from tenants.labour_law.services.contracts import contract_create
from tenants.labour_law.services.income_plans import income_plan_create
from tenants.labour_law.services.parameters import (
    partner_parameter_create,
    partner_parameter_delete,
    partner_parameter_update,
)
from tenants.labour_law.services.simulations import salary_simulation_create

__all__ = [
    "contract_create",
    "income_plan_create",
    "partner_parameter_create",
    "partner_parameter_delete",
    "partner_parameter_update",
    "salary_simulation_create",
]
