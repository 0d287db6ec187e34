"""The guarantee fund: fed by fees, advances on overdue invoices, recovered on payment or
written off by an accountant; every figure is a sum of explainable movements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from common.errors import PartnerRequired
from tenants.invoicing.services import (
    client_create,
    invoice_create,
    invoice_issue,
    invoice_payment_record,
)
from tenants.members.models import LedgerEntry
from tenants.members.selectors import activity_balance
from tenants.payroll.exceptions import (
    FundAdvanceRefused,
    FundInsufficient,
    FundInvalid,
    FundNothingOutstanding,
)
from tenants.payroll.fund_models import FundMovement
from tenants.payroll.selectors import fund_balance, fund_outstanding
from tenants.payroll.services import fund_advance, fund_feed_from_fee, fund_write_off
from tests.tenants.members.factories import ActivityFactory, post


def issued_invoice(activity, *, days_ago=90, amount="1000.00", terms=30):
    """An invoice of ``amount`` + 19 % VAT issued ``days_ago`` days ago, due ``terms`` days
    after issue."""
    client = client_create(name="Client GmbH", country="DE", created_by=None)
    invoice = invoice_create(
        activity=activity,
        client=client,
        lines=[{"description": "Work", "quantity": "1", "unit_price": amount, "vat_rate": "0.19"}],
        created_by=None,
        payment_terms_days=terms,
    )
    return invoice_issue(
        invoice=invoice,
        issued_by=None,
        issue_date=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def feed_fund(amount_of_fee: str):
    """Take a fee of ``amount_of_fee`` on some activity and feed the fund (10 %)."""
    fee = post(ActivityFactory(), f"-{amount_of_fee}", kind="fee")
    return fund_feed_from_fee(fee_entry=fee)


def test_a_fee_feeds_the_fund_by_the_partner_share_once(partner_a, in_schema):
    with in_schema(partner_a):
        fee = post(ActivityFactory(), "-70.05", kind="fee")
        movement = fund_feed_from_fee(fee_entry=fee)
        again = fund_feed_from_fee(fee_entry=fee)
        assert movement.pk == again.pk
        assert movement.amount == Decimal("7.01")  # 10 % of 70.05, half-up
        assert movement.rule["share"] == "0.1000"
        assert movement.rule["fee_entry"] == fee.pk
        assert fund_balance().amount == Decimal("7.01")


def test_only_fees_feed_the_fund(partner_a, in_schema):
    with in_schema(partner_a):
        turnover = post(ActivityFactory(), "100.00")
        with pytest.raises(FundInvalid):
            fund_feed_from_fee(fee_entry=turnover)


def test_advance_then_recovery_when_the_client_pays(partner_a, in_schema):
    with in_schema(partner_a):
        # Given a fund holding 500.00 and an invoice overdue by 60 days
        feed_fund("5000.00")
        activity = ActivityFactory()
        invoice = issued_invoice(activity)
        # When the fund advances 400.00
        advance = fund_advance(invoice=invoice, amount="400.00", created_by=None)
        # Then the activity is credited and the fund debited, the advance outstanding
        assert activity_balance(activity=activity).amount == Decimal("400.00")
        assert fund_balance().amount == Decimal("100.00")
        assert fund_outstanding().amount == Decimal("400.00")
        assert advance.ledger_entry.kind == "fund_advance"
        assert advance.rule["overdue_days"] == 60
        # When the client pays in full
        invoice_payment_record(
            invoice=invoice, amount="1190.00", received_on=timezone.localdate(), recorded_by=None
        )
        # Then the advance is recovered from the activity and returns to the fund
        kinds = list(
            LedgerEntry.objects.filter(activity=activity)
            .order_by("id")
            .values_list("kind", "amount")
        )
        assert kinds == [
            ("fund_advance", Decimal("400.000")),
            ("turnover_collected", Decimal("1000.000")),
            ("fee", Decimal("-70.000")),
            ("fund_recovery", Decimal("-400.000")),
        ]
        assert activity_balance(activity=activity).amount == Decimal("930.00")
        assert fund_outstanding().amount == Decimal("0.00")
        # 500 fed − 400 advanced + 7 (10 % of the 70 fee) + 400 recovered
        assert fund_balance().amount == Decimal("507.00")
        movements = FundMovement.objects.order_by("id")
        assert fund_balance().amount == sum(m.amount for m in movements)


def test_a_partial_payment_recovers_at_most_what_it_brings(partner_a, in_schema):
    with in_schema(partner_a):
        feed_fund("10000.00")
        activity = ActivityFactory()
        invoice = issued_invoice(activity)
        fund_advance(invoice=invoice, amount="1000.00", created_by=None)
        invoice_payment_record(
            invoice=invoice, amount="595.00", received_on=timezone.localdate(), recorded_by=None
        )
        assert fund_outstanding().amount == Decimal("500.00")


def test_an_invoice_not_yet_overdue_enough_gets_no_advance(partner_a, in_schema):
    with in_schema(partner_a):
        feed_fund("5000.00")
        invoice = issued_invoice(ActivityFactory(), days_ago=45)  # 15 days overdue
        with pytest.raises(FundAdvanceRefused):
            fund_advance(invoice=invoice, amount="10.00", created_by=None)
        assert not FundMovement.objects.filter(kind="advance").exists()


def test_an_advance_is_capped_by_the_unpaid_amount_excluding_vat(partner_a, in_schema):
    with in_schema(partner_a):
        feed_fund("50000.00")
        invoice = issued_invoice(ActivityFactory())
        fund_advance(invoice=invoice, amount="600.00", created_by=None)
        with pytest.raises(FundAdvanceRefused) as refused:
            fund_advance(invoice=invoice, amount="400.01", created_by=None)
        assert refused.value.extra["max_advance"] == "400.000"
        assert fund_outstanding().amount == Decimal("600.00")


def test_the_fund_cannot_advance_more_than_it_holds(partner_a, in_schema):
    with in_schema(partner_a):
        feed_fund("1000.00")  # the fund holds 100.00
        invoice = issued_invoice(ActivityFactory())
        with pytest.raises(FundInsufficient):
            fund_advance(invoice=invoice, amount="100.01", created_by=None)
        assert fund_balance().amount == Decimal("100.00")


@pytest.mark.parametrize("amount", ["0", "-5", "1.001", "abc"])
def test_bad_advance_amounts_are_refused(partner_a, in_schema, amount):
    with in_schema(partner_a):
        feed_fund("1000.00")
        invoice = issued_invoice(ActivityFactory())
        with pytest.raises(FundInvalid):
            fund_advance(invoice=invoice, amount=amount, created_by=None)


def test_an_accountant_writes_off_an_advance_with_a_reason(partner_a, in_schema):
    with in_schema(partner_a):
        feed_fund("5000.00")
        activity = ActivityFactory()
        invoice = issued_invoice(activity)
        fund_advance(invoice=invoice, amount="300.00", created_by=None)
        with pytest.raises(FundInvalid):
            fund_write_off(invoice=invoice, reason=" ", created_by=None)
        write_off = fund_write_off(invoice=invoice, reason="Client insolvent", created_by=None)
        assert write_off.outstanding_change == Decimal("-300.00")
        assert write_off.amount == 0
        # The member keeps the advance; the fund's loss stays visible as the advance.
        assert activity_balance(activity=activity).amount == Decimal("300.00")
        assert fund_outstanding().amount == Decimal("0.00")
        assert fund_balance().amount == Decimal("200.00")
        with pytest.raises(FundNothingOutstanding):
            fund_write_off(invoice=invoice, reason="again", created_by=None)


@pytest.fixture
def overdue(partner_a, in_schema, make_user):
    with in_schema(partner_a):
        feed_fund("5000.00")
        activity = ActivityFactory()
        invoice = issued_invoice(activity)
    return {
        "invoice": invoice,
        "activity": activity,
        **{r: make_user(partner_a, r) for r in ("admin", "advisor", "accountant", "member")},
    }


def test_the_fund_api_advances_and_an_accountant_writes_off(partner_a, api, overdue):
    advisor = api(partner_a, overdue["advisor"])
    eligible = advisor.get("/api/v1/guarantee-fund/eligible-invoices/").json()
    assert [(e["invoice"], e["max_advance"]) for e in eligible] == [
        (overdue["invoice"].pk, "1000.00")
    ]
    response = advisor.post(
        "/api/v1/guarantee-fund/advances/", {"invoice": overdue["invoice"].pk, "amount": "250.00"}
    )
    assert response.status_code == 201, response.json()
    summary = advisor.get("/api/v1/guarantee-fund/").json()
    assert (summary["balance"], summary["outstanding_advances"]) == ("250.00", "250.00")
    payload = {"invoice": overdue["invoice"].pk, "reason": "Client vanished"}
    assert advisor.post("/api/v1/guarantee-fund/write-offs/", payload).status_code == 403
    admin = api(partner_a, overdue["admin"])
    assert admin.post("/api/v1/guarantee-fund/write-offs/", payload).status_code == 403
    accountant = api(partner_a, overdue["accountant"])
    assert accountant.post("/api/v1/guarantee-fund/write-offs/", payload).status_code == 201
    movements = accountant.get("/api/v1/guarantee-fund/movements/").json()["results"]
    assert [m["kind"] for m in movements] == ["feed", "advance", "write_off"]
    csv = accountant.get("/api/v1/guarantee-fund/movements/?format=csv")
    assert csv.status_code == 200
    assert len(csv.content.decode().splitlines()) == 4


@pytest.mark.parametrize("parameter", ["invoice", "activity"])
def test_the_movement_list_refuses_a_malformed_id_filter(partner_a, api, overdue, parameter):
    client = api(partner_a, overdue["accountant"])

    response = client.get(f"/api/v1/guarantee-fund/movements/?{parameter}=1%20OR%201")

    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == [parameter]


def test_the_movement_list_filters_by_invoice(partner_a, api, overdue, in_schema):
    with in_schema(partner_a):
        fund_advance(invoice=overdue["invoice"], amount="100.00", created_by=None)
    client = api(partner_a, overdue["accountant"])

    rows = client.get(f"/api/v1/guarantee-fund/movements/?invoice={overdue['invoice'].pk}")

    assert [m["kind"] for m in rows.json()["results"]] == ["advance"]


@pytest.mark.parametrize(
    ("invoice", "amount", "status"),
    [
        ("overdue", "5000.00", 409),  # above the invoice's limit: FundAdvanceRefused
        ("overdue", "-1", 400),
        (999999, "10.00", 404),  # FundInvoiceNotFound
        ("x", "10.00", 400),
    ],
)
def test_bad_fund_requests_are_refused_and_change_nothing(
    partner_a, api, overdue, in_schema, invoice, amount, status
):
    client = api(partner_a, overdue["advisor"])
    payload = {
        "invoice": overdue["invoice"].pk if invoice == "overdue" else invoice,
        "amount": amount,
    }

    response = client.post("/api/v1/guarantee-fund/advances/", payload)

    assert response.status_code == status, response.content
    with in_schema(partner_a):
        assert not FundMovement.objects.filter(kind="advance").exists()


def test_members_and_other_hosts_cannot_reach_the_fund(
    partner_a, partner_b, api, overdue, make_user
):
    member = api(partner_a, overdue["member"])
    assert member.get("/api/v1/guarantee-fund/").status_code == 403
    assert member.get("/api/v1/guarantee-fund/movements/").status_code == 403
    payload = {"invoice": overdue["invoice"].pk, "amount": "10.00"}
    assert member.post("/api/v1/guarantee-fund/advances/", payload).status_code == 403
    beta = api(partner_b, make_user(partner_b, "accountant"))
    assert beta.get("/api/v1/guarantee-fund/").json()["balance"] == "0.00"
    assert beta.get("/api/v1/guarantee-fund/movements/").json()["count"] == 0
    assert beta.post("/api/v1/guarantee-fund/advances/", payload).status_code == 404
    hq = api(None, make_user(None, "hq_admin"))
    assert hq.get("/api/v1/guarantee-fund/").status_code == 404


def test_the_fund_outside_a_partners_schema_says_a_partner_is_required(db, in_schema):
    with in_schema(None), pytest.raises(PartnerRequired) as refused:
        fund_balance()

    assert refused.value.code == "partner_required"
