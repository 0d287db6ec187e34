"""Benchmark: issuing 1,000 invoices of 3 lines each through the service layer.

Run: DATABASE_URL=postgresql://... .venv/bin/python bench/invoice_issue.py [count [workers]]
(with no DATABASE_URL the embedded PostgreSQL is used; ``workers`` defaults to 2).

Creates a throw-away partner (its own schema), drafts ``count`` invoices of 3 lines
(timed: creation), issues them one by one, each in its own transaction with its row lock
and gapless number (timed: issue), then records a payment on each (timed: payment, which
posts turnover and fee to the ledger, feeds the guarantee fund and audits). Then it
drafts ``count`` more and issues them from ``workers`` processes at once, each issue still
one transaction on its own connection, as concurrent requests on a server with that many
workers would (timed: wall time of the whole batch); the numbers are checked gapless.
Finally it counts the statements one call of each service sends (BEGIN, SAVEPOINT and
COMMIT included) and drops the partner. Prints invoices per second for each phase, with
the client process's CPU time per call; the load average is printed because other work
on the machine changes the wall-clock figures a lot.
"""

from __future__ import annotations

import multiprocessing
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
from django.db.models import Count, Max  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tenants.invoicing import services  # noqa: E402
from tenants.invoicing.models import Invoice  # noqa: E402
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


def statements_per_call(label: str, calls: list) -> None:
    """Count the statements (BEGIN, SAVEPOINT and COMMIT included: each is a round trip)
    each call sends, outside the timed loops (the debug cursor that counts them is slow)."""
    with CaptureQueriesContext(connection) as captured:
        for call in calls:
            call()
    print(f"{label:<34} {len(captured) / len(calls):5.1f} statements each")


def _issue_worker(drafts: list, ready, go) -> None:
    # A forked child: its own connection (the parent closed its own before forking).
    connection.close()
    connection.cursor().execute("SELECT 1")
    ready.wait()
    go.wait()
    for draft in drafts:
        services.invoice_issue(invoice=draft, issued_by=None)
    connection.close()


def issue_in_parallel(drafts: list, workers: int, partner) -> None:
    """Issue ``drafts`` from ``workers`` processes (one transaction per issue) and print
    the throughput of the whole batch."""
    connection.close()
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(workers + 1)
    go = context.Barrier(workers + 1)
    processes = [
        context.Process(target=_issue_worker, args=(drafts[i::workers], ready, go))
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    ready.wait()  # every worker connected
    began = time.perf_counter()
    go.wait()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - began
    assert all(process.exitcode == 0 for process in processes)
    connection.set_tenant(partner)
    print(
        f"{'issue, ' + str(workers) + ' workers at once':<34} {len(drafts):>5} in "
        f"{elapsed:6.2f} s = {len(drafts) / elapsed:7.1f}/s"
    )


def main(count: int = 1000, workers: int = 2) -> None:
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
        if workers > 1:
            batch = [
                services.invoice_create(
                    activity=activity, client=client, lines=LINES, created_by=None
                )
                for _ in range(count)
            ]
            issue_in_parallel(batch, workers, partner)
            numbers = Invoice.objects.filter(sequence__isnull=False).aggregate(
                n=Count("sequence", distinct=True), last=Max("sequence")
            )
            assert numbers == {"n": 2 * count, "last": 2 * count}, numbers
        sample = 20
        extra: list = []
        statements_per_call(
            "create drafts (3 lines)",
            [
                lambda: extra.append(
                    services.invoice_create(
                        activity=activity, client=client, lines=LINES, created_by=None
                    )
                )
            ]
            * sample,
        )
        statements_per_call(
            "issue (number, VAT, lock)",
            [
                lambda i=i: extra.__setitem__(
                    i, services.invoice_issue(invoice=extra[i], issued_by=None)
                )
                for i in range(sample)
            ],
        )
        statements_per_call(
            "record payment (ledger, fee, fund)",
            [
                lambda invoice=invoice: services.invoice_payment_record(
                    invoice=invoice,
                    amount=invoice.total_incl_vat,
                    received_on=today,
                    recorded_by=None,
                )
                for invoice in extra
            ],
        )
    finally:
        connection.set_schema_to_public()
        destroy_partner(partner)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
