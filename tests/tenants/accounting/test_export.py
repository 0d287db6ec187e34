"""Accounting export: a balanced double-entry journal with the partner's chart of accounts,
the French FEC, reading only, reproducible to the byte."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from tenants.accounting.exports import FEC_HEADERS, fec, fec_filename, journal_csv
from tenants.accounting.journal import journal_lines
from tenants.audit.models import AuditEntry
from tenants.members.models import LedgerEntry
from tenants.partner_settings.services import partner_settings_update
from tenants.payroll.fund_models import FundMovement
from tenants.payroll.services import fund_advance, fund_feed_from_fee, fund_write_off
from tests.tenants.members.factories import ActivityFactory, post
from tests.tenants.payroll.test_fund import issued_invoice

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=365)


def build_activity():
    """A year of activity: an invoice paid, its fee feeding the fund, an advance on an
    overdue invoice written off, an expense, a salary and a correction."""
    from tenants.invoicing.services import invoice_payment_record

    activity = ActivityFactory(name="Atelier | Zoé")
    big_fee = post(ActivityFactory(), "-5000.00", kind="fee", booked_on=TODAY)
    fund_feed_from_fee(fee_entry=big_fee)
    overdue = issued_invoice(activity, days_ago=90, amount="200.00")
    paid = issued_invoice(activity, days_ago=40)
    invoice_payment_record(invoice=paid, amount="1190.00", received_on=TODAY, recorded_by=None)
    fund_advance(invoice=overdue, amount="150.00", created_by=None)
    fund_write_off(invoice=overdue, reason="Client insolvent", created_by=None)
    post(activity, "-120.00", kind="expense", booked_on=TODAY)
    post(activity, "-400.00", kind="salary", booked_on=TODAY)
    # Outside the period: must not appear.
    post(activity, "10.00", booked_on=START - dt.timedelta(days=1))
    return activity


def test_the_journal_balances_entry_by_entry(partner_a, in_schema):
    with in_schema(partner_a):
        build_activity()
        lines = journal_lines(start=START, end=TODAY)
    totals = defaultdict(Decimal)
    for item in lines:
        totals[item.number] += item.line.debit - item.line.credit
    assert lines
    assert all(total == 0 for total in totals.values())
    assert sum(i.line.debit for i in lines) == sum(i.line.credit for i in lines)
    assert all(i.line.entry_date >= START for i in lines)


def test_the_journal_uses_the_chart_of_accounts(partner_a, in_schema):
    with in_schema(partner_a):
        build_activity()
        partner_settings_update(
            actor=None, data={"chart_of_accounts": {"accounts": {"fee_income": "706900"}}}
        )
        rows = list(
            csv.DictReader(io.StringIO(journal_csv(journal_lines(start=START, end=TODAY)).decode()))
        )
    fee_rows = [r for r in rows if r["account_name"] == "fee_income"]
    assert fee_rows
    assert {r["account"] for r in fee_rows} == {"706900"}
    sources = {r["source"].split(":")[0] for r in rows}
    assert sources == {
        "invoicing.invoice",
        "invoicing.payment",
        "members.ledgerentry",
        "payroll.fundmovement",
    }
    budget_legs = [r for r in rows if r["account_name"] == "activity_budgets"]
    assert all(r["auxiliary_account"].startswith("A") for r in budget_legs)


def test_an_export_changes_nothing_and_is_reproducible(partner_a, in_schema):
    with in_schema(partner_a):
        build_activity()

        def counts():
            return (
                LedgerEntry.objects.count(),
                FundMovement.objects.count(),
                AuditEntry.objects.count(),
            )

        before = counts()
        first_csv = journal_csv(journal_lines(start=START, end=TODAY))
        first_fec = fec(journal_lines(start=START, end=TODAY))
        assert counts() == before
        # Records outside the period do not change the export either.
        post(ActivityFactory(), "99.00", booked_on=TODAY + dt.timedelta(days=1))
        assert journal_csv(journal_lines(start=START, end=TODAY)) == first_csv
        assert fec(journal_lines(start=START, end=TODAY)) == first_fec


def test_the_fec_has_the_18_legal_columns(partner_a, in_schema):
    with in_schema(partner_a):
        build_activity()
        content = fec(journal_lines(start=START, end=TODAY))
    text = content.decode("iso-8859-15")
    rows = text.split("\r\n")
    assert rows[-1] == ""
    header, *body = rows[:-1]
    assert header.split("|") == FEC_HEADERS
    assert len(FEC_HEADERS) == 18
    assert body
    for row in body:
        fields = row.split("|")
        assert len(fields) == 18
        journal_code, _lib, number, date, account = fields[:5]
        assert number.startswith(journal_code)
        assert len(date) == 8
        assert date.isdigit()
        assert account[:3].isdigit()
        debit, credit = fields[11], fields[12]
        assert "," in debit
        assert "," in credit
        assert "." not in debit + credit
        assert len(fields[15]) == 8  # ValidDate
    # EcritureNum is continuous within each journal.
    per_journal = defaultdict(list)
    for row in body:
        code, _lib, number = row.split("|")[:3]
        if not per_journal[code] or per_journal[code][-1] != number:
            per_journal[code].append(number)
    for code, numbers in per_journal.items():
        assert numbers == [f"{code}{n:06d}" for n in range(1, len(numbers) + 1)]
    assert "Atelier / Zoé" in text


def test_fec_file_name_is_siren_fec_closing_date():
    assert fec_filename(siren="732829320", closing_date=dt.date(2026, 12, 31)) == (
        "732829320FEC20261231.txt"
    )


def test_staff_roles_and_isolation_of_the_journal(partner_a, partner_b, api, make_user, in_schema):
    with in_schema(partner_a):
        build_activity()
    query = f"?from={START.isoformat()}&to={TODAY.isoformat()}"
    accountant = api(partner_a, make_user(partner_a, "accountant"))
    response = accountant.get(f"/api/v1/accounting/journal/{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    assert len(response.content.decode().splitlines()) > 10
    for role in ("advisor", "member"):
        client = api(partner_a, make_user(partner_a, role))
        assert client.get(f"/api/v1/accounting/journal/{query}").status_code == 403
    beta = api(partner_b, make_user(partner_b, "accountant"))
    beta_lines = beta.get(f"/api/v1/accounting/journal/{query}").content.decode().splitlines()
    assert len(beta_lines) == 1  # the header only
    hq = api(None, make_user(None, "hq_admin"))
    assert hq.get(f"/api/v1/accounting/journal/{query}").status_code == 404


@pytest.mark.parametrize(
    "query", ["", "?from=2026-01-01", "?from=2026-02-01&to=2026-01-01", "?from=x&to=y"]
)
def test_a_bad_period_is_refused(partner_a, api, make_user, query):
    client = api(partner_a, make_user(partner_a, "accountant"))
    response = client.get(f"/api/v1/accounting/journal/{query}")
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]


def test_the_fec_is_only_for_a_french_partner(partner_a, api, make_user):
    client = api(partner_a, make_user(partner_a, "accountant"))
    response = client.get("/api/v1/accounting/fec/?from=2026-01-01&to=2026-12-31")
    assert response.status_code == 409
    assert response.json()["code"] == "fec_unavailable"


@pytest.mark.committed
def test_a_french_partner_downloads_its_fec(committed_partner, db, api, make_user, in_schema):
    france = committed_partner(country="FR", tier="european_group")
    accountant = make_user(france, "accountant")
    client = api(france, accountant)
    query = f"?from={START.isoformat()}&to={TODAY.isoformat()}"
    assert client.get(f"/api/v1/accounting/fec/{query}").status_code == 409  # no SIREN yet
    admin = api(france, make_user(france, "admin"))
    assert admin.patch("/api/v1/settings/", {"company_id": "123"}, format="json").status_code == 400
    assert (
        admin.patch("/api/v1/settings/", {"company_id": "732 829 320"}, format="json").status_code
        == 200
    )
    with in_schema(france):
        post(ActivityFactory(), "-70.00", kind="fee", booked_on=TODAY)
    response = client.get(f"/api/v1/accounting/fec/{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="732829320FEC{TODAY:%Y%m%d}.txt"'
    )
    assert response.content.decode("iso-8859-15").splitlines()[0] == "|".join(FEC_HEADERS)
