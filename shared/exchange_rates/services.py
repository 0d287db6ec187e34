"""Writing exchange rates: loading an ECB CSV file into the public table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from shared.exchange_rates.ecb import ecb_file_read, rates_store
from shared.exchange_rates.models import ExchangeRate
from tenants.audit.services import audit_record


@dataclass(frozen=True, slots=True)
class RatesLoad:
    """What a load did: ``rates`` read from the file (days × currencies published),
    ``created`` new rows, ``updated`` rows whose rate changed, ``unchanged`` the rest."""

    rates: int
    created: int
    updated: int

    @property
    def unchanged(self) -> int:
        return self.rates - self.created - self.updated


def exchange_rates_load(*, path: Path, source: str | None = None, actor=None) -> RatesLoad:
    """Load the ECB CSV file at ``path`` into ``ExchangeRate`` (public schema).

    The whole file is read and checked first, so a bad file changes nothing
    (``ExchangeRatesFileInvalid`` names the line); then, in one transaction, new days are
    inserted and changed rates replaced. Idempotent: loading the same file again writes
    nothing. ``source`` (default: the file's name) is stored on each row written; one
    audit row (``exchange_rates.load``) records the counts when something changed.
    """
    rates = ecb_file_read(path)
    source = source or f"ECB CSV {Path(path).name}"
    with transaction.atomic():
        created, updated = rates_store(ExchangeRate, rates, source=source)
        if created or updated:
            audit_record(
                actor=actor,
                action="exchange_rates.load",
                object_type=ExchangeRate._meta.label_lower,
                changes={"source": source, "created": created, "updated": updated},
            )
    return RatesLoad(rates=len(rates), created=created, updated=updated)
