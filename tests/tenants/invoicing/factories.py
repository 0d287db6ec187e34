"""Builders for invoicing tests (run inside a partner schema)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from tenants.invoicing import services
from tenants.invoicing.models import Client
from tenants.members.models import Activity, Member

_seq = itertools.count(1)


def make_member(user=None) -> Member:
    n = next(_seq)
    return Member.objects.create(
        first_name=f"Ada{n}", last_name=f"Lovelace{n}", status="active", user=user
    )


def make_activity(member: Member | None = None, user=None) -> Activity:
    member = member or make_member(user)
    return Activity.objects.create(member=member, name=f"Studio {next(_seq)}", sector="62.01")


def make_client(**fields) -> Client:
    fields.setdefault("name", f"Client {next(_seq)} GmbH")
    fields.setdefault("country", "DE")
    fields.setdefault("created_by", None)
    return services.client_create(**fields)


def line(description="Work", quantity="1", unit_price="100.00", vat_rate=None) -> dict:
    data = {"description": description, "quantity": quantity, "unit_price": unit_price}
    if vat_rate is not None:
        data["vat_rate"] = vat_rate
    return data


def make_invoice(activity=None, client=None, lines=None, user=None, **kwargs):
    return services.invoice_create(
        activity=activity or make_activity(),
        client=client or make_client(),
        lines=lines or [line()],
        created_by=user,
        **kwargs,
    )


def issued_invoice(activity=None, client=None, lines=None, user=None, **kwargs):
    invoice = make_invoice(activity, client, lines, user, **kwargs)
    return services.invoice_issue(invoice=invoice, issued_by=user)


D = Decimal
