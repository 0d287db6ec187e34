"""Generated activity for the demo partners (members, invoices, payments, expenses...).

Filled in as the country-operations apps land; every write goes through their services,
so the demo obeys the same rules as real use.
"""

from __future__ import annotations


def seed_activity(partners, *, years: int, seed: int, out) -> None:
    out.write("Generated activity: none yet.\n")
