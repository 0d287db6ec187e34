"""Benchmark: issuing invoices of 3 lines through the service layer, from one process and
from two processes at once (target: at least 200 invoices per second with two).

Run from the repository root:

    .venv/bin/python bench/invoice_issue.py [--count 500] [--rounds 4] [--workers 2] [--quick]

Works in a fresh database ``<DATABASE_URL's name>_invoice_issue`` (dropped at the end
unless ``--keep``) with one partner. Drafts every invoice first (timed: creation), then
runs alternated rounds of two phases, each issuing ``--count`` drafts from forked
processes, one transaction per issue with its row lock and gapless number (VAT decided
on the issue date, lines re-rated and locked, audit row): one process, then ``--workers``
processes at once, as a server with that many workers would (the next round in the other
order). The figure of a phase is invoices per second, wall time of the whole batch. The
numbers are then checked gapless, a payment is recorded on ``--count`` of them (timed:
ledger postings, fee, guarantee fund, audit; reported only), and the statements one call
of each service sends are counted (BEGIN, SAVEPOINT and COMMIT included).
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

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
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for call in calls:
            call()
    print(f"{label:<34} {len(captured) / len(calls):5.1f} statements each")


def _issue_worker(drafts: list, ready, go) -> None:
    from django.db import connection

    from tenants.invoicing import services

    # A forked child: its own connection (the parent closed its own before forking).
    connection.close()
    connection.cursor().execute("SELECT 1")
    ready.wait()
    go.wait()
    for draft in drafts:
        services.invoice_issue(invoice=draft, issued_by=None)
    connection.close()


def issue_batch(drafts: list, workers: int, partner) -> float:
    """Issue ``drafts`` from ``workers`` forked processes (one transaction per issue) and
    return invoices per second over the whole batch (from the moment all are connected)."""
    from django.db import connection

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
    if any(process.exitcode != 0 for process in processes):
        raise SystemExit("an issuing process failed")
    connection.set_tenant(partner)
    return len(drafts) / elapsed


def main() -> int:
    parser = harness.arguments(__doc__.split("\n")[0], quick="50 invoices per phase, 2 rounds")
    parser.add_argument("--count", type=int, default=500, help="invoices per phase (500)")
    parser.add_argument("--rounds", type=int, default=4, help="alternated rounds (4)")
    parser.add_argument("--workers", type=int, default=2, help="processes of the parallel phase")
    args = parser.parse_args()
    if args.quick:
        args.count, args.rounds = min(args.count, 50), min(args.rounds, 2)

    with harness.scratch_database("invoice_issue", keep=args.keep):
        from django.db import connection
        from django.db.models import Count, Max
        from django.utils import timezone

        from tenants.invoicing import services
        from tenants.invoicing.models import Invoice
        from tenants.members.models import Activity, Member
        from tests.helpers import make_partner

        harness.header("invoice_issue")
        partner = make_partner("bench", country="DE", tier="open_smart")
        connection.set_tenant(partner)
        member = Member.objects.create(first_name="Bench", last_name="Mark", status="active")
        activity = Activity.objects.create(member=member, name="Bench studio", sector="62.01")
        client = services.client_create(name="Kunde GmbH", country="DE", created_by=None)
        total = args.count * 2 * args.rounds
        drafts = timed(
            "create drafts (3 lines)",
            total,
            lambda i: services.invoice_create(
                activity=activity, client=client, lines=LINES, created_by=None
            ),
        )
        batches = iter(drafts[i : i + args.count] for i in range(0, total, args.count))
        one, many = "1 process", f"{args.workers} processes"
        print(f"\nIssuing {args.count} invoices per phase, {args.rounds} alternated rounds:")
        rates = harness.alternate(
            {
                one: lambda: issue_batch(next(batches), 1, partner),
                many: lambda: issue_batch(next(batches), args.workers, partner),
            },
            args.rounds,
            unit="invoices/s",
        )
        numbers = Invoice.objects.filter(sequence__isnull=False).aggregate(
            n=Count("sequence", distinct=True), last=Max("sequence")
        )
        if numbers != {"n": total, "last": total}:
            raise SystemExit(f"numbers are not gapless: {numbers}")
        print(f"numbers 1..{total} issued without a gap\n")

        issued = list(Invoice.objects.filter(sequence__isnull=False).order_by("sequence"))
        today = timezone.localdate()
        timed(
            "record payment (ledger, fee, fund)",
            args.count,
            lambda i: services.invoice_payment_record(
                invoice=issued[i],
                amount=issued[i].total_incl_vat,
                received_on=today,
                recorded_by=None,
            ),
        )
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
        print()
        harness.print_sides(rates, "invoices/s")
        scaling = harness.ratio_spread(rates[many], rates[one])
        print(f"  {many} / 1 process, per round: {scaling.text('x', 2)}")
        parallel = harness.spread(rates[many])
        harness.verdict(
            f"invoices issued per second with {many} at once, median of rounds",
            parallel.median,
            unit="invoices/s",
            at_least=200,
            detail=f"(min {parallel.min:.0f}, max {parallel.max:.0f})",
        )
        connection.set_schema_to_public()
    return 0


if __name__ == "__main__":
    harness.run(main)
