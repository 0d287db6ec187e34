"""Benchmark: issuing 1,000 invoices of 3 lines each through the service layer.

Run: DATABASE_URL=postgresql://... .venv/bin/python bench/invoice_issue.py [count]
(with no DATABASE_URL the embedded PostgreSQL is used).

Creates a throw-away partner (its own schema), drafts ``count`` invoices of 3 lines
(timed: creation), issues them one by one, each in its own transaction with its row lock
and gapless number (timed: issue), then records a payment on each (timed: payment, which
posts turnover and fee to the ledger, feeds the guarantee fund and audits), and finally
drops the partner. Prints invoices per second for each phase.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from tenants.invoicing import services  # noqa: E402
from tenants.members.models import Activity, Member  # noqa: E402
from tests.helpers import destroy_partner, make_partner  # noqa: E402

LINES = [
    {"description": "Design work", "quantity": "3.5", "unit_price": "85.00"},
    {"description": "Workshop", "quantity": "1", "unit_price": "420.00"},
    {"description": "Travel", "quantity": "212", "unit_price": "0.30", "vat_rate": "0.07"},
]


def timed(label: str, count: int, func) -> list:
    began = time.perf_counter()
    cpu_began = time.process_time()
    durations = []
    results = []
    for i in range(count):
        start = time.perf_counter()
        results.append(func(i))
        durations.append(time.perf_counter() - start)
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    print(
        f"{label:<34} {count:>5} in {elapsed:6.2f} s = {count / elapsed:7.1f}/s "
        f"(median {statistics.median(durations) * 1000:.2f} ms, "
        f"p95 {sorted(durations)[int(len(durations) * 0.95)] * 1000:.2f} ms, "
        f"client CPU {cpu / count * 1000:.2f} ms each)"
    )
    return results


def main(count: int = 1000) -> None:
    print(f"load average before: {os.getloadavg()}")
    partner = make_partner(f"bench{uuid.uuid4().hex[:8]}", country="DE", tier="open_smart")
    try:
        connection.set_tenant(partner)
        member = Member.objects.create(first_name="Bench", last_name="Mark", status="active")
        activity = Activity.objects.create(member=member, name="Bench studio", sector="62.01")
        client = services.client_create(name="Kunde GmbH", country="DE", created_by=None)
        drafts = timed(
            "create drafts (3 lines)",
            count,
            lambda i: services.invoice_create(
                activity=activity, client=client, lines=LINES, created_by=None
            ),
        )
        issued = timed(
            "issue (number, VAT, lock)",
            count,
            lambda i: services.invoice_issue(invoice=drafts[i], issued_by=None),
        )
        assert issued[-1].sequence == count, issued[-1].number
        today = timezone.localdate()
        timed(
            "record payment (ledger, fee, fund)",
            count,
            lambda i: services.invoice_payment_record(
                invoice=issued[i],
                amount=issued[i].total_incl_vat,
                received_on=today,
                recorded_by=None,
            ),
        )
        print(f"last number: {issued[-1].number}; total incl. VAT {issued[-1].total_incl_vat}")
    finally:
        connection.set_schema_to_public()
        destroy_partner(partner)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
