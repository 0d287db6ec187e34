"""Monthly partner figures: counts and sums that match the records, dated by the facts
(a member's status at the month's end, not today's), and nothing personal in them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tenants.accounting.exceptions import FiguresRangeInvalid
from tenants.accounting.figures import partner_figures, partner_month_figures
from tenants.members.services import activity_create, member_create, member_status_change
from tests.tenants.members.factories import post

JAN = dt.date(2025, 1, 1)
FEB = dt.date(2025, 2, 1)


@pytest.fixture
def history(partner_a, in_schema):
    """Two members: Zelda applies in December and is admitted on 10 January; Yann applies
    in January and is admitted on 3 February. Zelda invoices and is paid in January."""
    from tenants.invoicing.services import (
        client_create,
        invoice_create,
        invoice_issue,
        invoice_payment_record,
    )

    with in_schema(partner_a):
        zelda = member_create(
            actor=None, first_name="Zelda", last_name="Quixotic", applied_on=dt.date(2024, 12, 20)
        )
        member_status_change(
            member=zelda, to_status="active", actor=None, effective_on=dt.date(2025, 1, 10)
        )
        yann = member_create(
            actor=None, first_name="Yann", last_name="Quixotic", applied_on=dt.date(2025, 1, 20)
        )
        member_status_change(
            member=yann, to_status="active", actor=None, effective_on=dt.date(2025, 2, 3)
        )
        studio = activity_create(member=zelda, actor=None, name="Studio", sector="74.10")
        activity_create(member=yann, actor=None, name="Code", sector="62.01")
        client = client_create(name="Quixotic Client GmbH", country="DE", created_by=None)
        invoice = invoice_create(
            activity=studio,
            client=client,
            created_by=None,
            lines=[
                {"description": "Logo", "quantity": "2", "unit_price": "500.00", "vat_rate": "0.19"}
            ],
        )
        invoice_issue(invoice=invoice, issued_by=None, issue_date=dt.date(2025, 1, 12))
        invoice_payment_record(
            invoice=invoice, amount="1190.00", received_on=dt.date(2025, 1, 28), recorded_by=None
        )
        post(studio, "-300.00", kind="salary", booked_on=dt.date(2025, 2, 25))
        post(studio, "-40.00", kind="expense", booked_on=dt.date(2025, 2, 26))
    return partner_a


def test_january_counts_and_sums_match_the_records(history, in_schema):
    with in_schema(history):
        january = partner_month_figures(month=dt.date(2025, 1, 17))
    assert january["month"] == "2025-01"
    assert january["currency"] == "EUR"
    assert january["members"] == {"active": 1, "applicant": 1}
    assert january["members_admitted"] == 1
    assert january["activities_by_sector"] == {"74": 1}
    assert january["invoices_issued"] == 1
    assert january["turnover_invoiced"] == "1000.00"
    assert january["turnover_collected"] == "1000.00"
    assert january["fees"] == "70.00"  # 7 % fee from the partner's settings
    assert january["salaries"] == "0.00"


def test_february_reflects_the_later_admission_and_the_debits(history, in_schema):
    with in_schema(history):
        february = partner_month_figures(month=FEB)
    assert february["members"] == {"active": 2}
    assert february["members_admitted"] == 1
    assert february["activities_by_sector"] == {"62": 1, "74": 1}
    assert february["invoices_issued"] == 0
    assert february["salaries"] == "300.00"
    assert february["expenses"] == "40.00"


def test_figures_carry_no_personal_data(history, in_schema):
    with in_schema(history):
        series = partner_figures(start=dt.date(2024, 12, 1), end=FEB)
    assert [month["month"] for month in series] == ["2024-12", "2025-01", "2025-02"]
    text = json.dumps(series)
    for personal in ("Zelda", "Yann", "Quixotic", "Logo", "Studio"):
        assert personal not in text


def test_a_month_before_anything_is_all_zero(history, in_schema):
    with in_schema(history):
        empty = partner_month_figures(month=dt.date(2020, 5, 1))
    assert empty["members"] == {}
    assert empty["invoices_issued"] == 0
    assert empty["turnover_collected"] == "0.00"


def test_a_reversed_range_is_refused_naming_the_end(history, in_schema):
    with in_schema(history), pytest.raises(FiguresRangeInvalid) as refused:
        partner_figures(start=FEB, end=JAN)

    assert refused.value.status == 400
    assert list(refused.value.extra["fields"]) == ["end"]
