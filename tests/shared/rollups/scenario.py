"""Building a partner's month for rollup tests (inside the partner's schema). Every
name, e-mail and free text carries ``MARKER``, so a test can prove none of it reaches the
public tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tenants.members.services import activity_create, member_create, member_status_change
from tests.tenants.members.factories import post

MARKER = "Zqxwvmarker"
JAN = dt.date(2025, 1, 1)


def member_with_activity(name: str, sector: str, *, active_on: dt.date = dt.date(2025, 1, 2)):
    member = member_create(
        actor=None,
        first_name=f"{name}{MARKER}",
        last_name=MARKER,
        email=f"{name.lower()}.{MARKER.lower()}@example.org",
        applied_on=active_on - dt.timedelta(days=10),
    )
    member_status_change(member=member, to_status="active", actor=None, effective_on=active_on)
    return activity_create(member=member, actor=None, name=f"Studio {MARKER}", sector=sector)


def client():
    from django.db import connection

    from tenants.invoicing.services import client_create

    return client_create(
        name=f"Client {MARKER}", country=connection.tenant.country, created_by=None
    )


def invoice(activity, buyer, amount: str, *, issued: dt.date, paid: bool = False):
    """An invoice of ``amount`` excluding VAT (at the default rate), issued on ``issued``;
    paid in full the same day when ``paid``."""
    from tenants.invoicing.services import invoice_create, invoice_issue, invoice_payment_record

    document = invoice_create(
        activity=activity,
        client=buyer,
        created_by=None,
        lines=[{"description": f"Work {MARKER}", "quantity": "1", "unit_price": amount}],
    )
    document = invoice_issue(invoice=document, issued_by=None, issue_date=issued)
    if paid:
        invoice_payment_record(
            invoice=document,
            amount=str(document.total_incl_vat),
            received_on=issued,
            recorded_by=None,
        )
    return document


def salary(activity, amount: str, *, booked_on: dt.date):
    return post(activity, f"-{amount}", kind="salary", booked_on=booked_on)


def seven_members(day: dt.date = dt.date(2025, 1, 15)) -> dict:
    """Sector 62: three members invoicing 1000 each; 74: three invoicing 600 each; 90: one
    member invoicing 500. The six of 62 and 74 are paid a salary of 500 each."""
    buyer = client()
    activities = {}
    for name, sector, amount in [
        ("Ana", "62.01", "1000.00"),
        ("Ben", "62.01", "1000.00"),
        ("Cem", "62.02", "1000.00"),
        ("Dan", "74.10", "600.00"),
        ("Eva", "74.10", "600.00"),
        ("Fay", "74.20", "600.00"),
        ("Gil", "90.01", "500.00"),
    ]:
        activity = member_with_activity(name, sector)
        activities[name] = activity
        activities[f"{name}-invoice"] = invoice(activity, buyer, amount, issued=day)
        if sector[:2] != "90":
            salary(activity, "500.00", booked_on=day)
    return activities


def as_decimal(text) -> Decimal:
    return Decimal(str(text))
