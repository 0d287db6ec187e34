"""Factories for members, activities and ledger entries (run inside a partner schema)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.db import connection

from tenants.members.models import Activity, Member, MemberStatus

_seq = itertools.count(1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    first_name = factory.Sequence(lambda n: f"Ada{n}")
    last_name = factory.Sequence(lambda n: f"Lovelace{n}")
    email = factory.LazyAttribute(lambda o: f"{o.first_name.lower()}@example.org")
    status = MemberStatus.ACTIVE


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Studio {n}")
    sector = "62.01"


def money(amount, currency=None):
    from common.money import Money

    return Money(Decimal(str(amount)), currency or connection.tenant.currency)


def post(activity, amount, kind="turnover_collected", **kwargs):
    """Post ``amount`` (a string or number in the partner's currency) to ``activity``."""
    from tenants.members.services import ledger_post

    kwargs.setdefault("booked_on", dt.date(2026, 1, 15))
    kwargs.setdefault("description", f"test entry {next(_seq)}")
    return ledger_post(activity=activity, kind=kind, amount=money(amount), **kwargs)
