"""Demo local catalogues: each partner offers its tier's core services (Italy has not yet
set up advances, so the coverage report has a gap to show), plus what distinguishes it
(grant help in Sweden, the mobility helpdesk in Austria and Germany, the delivery riders'
platform in Germany); a few members subscribe, the past months are billed once, and each
partner pushes its coverage to the federation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from services_catalog.reference.selectors import core_codes, reference_service_get

# Per partner: extra (code, pricing model, price or percentage) beyond the core services.
EXTRAS = {
    "se": [("grant_help", "flat_monthly", "450")],
    "de": [("mobility_helpdesk", "free", None), ("delivery_platform", "percentage", "2.5")],
    "at": [("mobility_helpdesk", "free", None)],
    "be": [("coworking", "flat_monthly", "90"), ("legal_help", "per_use", "60")],
    "fr": [("coworking", "flat_monthly", "80")],
}
# How each core service is priced by default.
CORE_PRICING = {
    "invoicing": ("percentage", "0"),
    "salary_conversion": ("free", None),
    "guarantee_fund": ("free", None),
    "advances": ("free", None),
    "insurance": ("flat_yearly", "120"),
    "training": ("per_use", "150"),
}
MISSING = {"it": {"advances"}}
RATE = {"SEK": Decimal("11"), "USD": Decimal("1"), "CLP": Decimal("1000")}


def _price(amount: str | None, currency: str) -> Decimal | None:
    if amount is None:
        return None
    return (Decimal(amount) * RATE.get(currency, Decimal(1))).quantize(Decimal("1"))


def seed_catalogue(partner, *, activities, today: dt.date, since: dt.date) -> dict:
    """Create the partner's local services and a few subscriptions from ``since``; bill the
    months up to last month and push coverage as of ``today``. Returns counts."""
    from common.months import month_start
    from services_catalog.local.services import (
        charges_bill_month,
        coverage_push,
        required_language,
        service_create,
        subscription_create,
    )

    language = required_language(partner)
    offered = [
        (code, *CORE_PRICING.get(code, ("free", None)))
        for code in core_codes(tier=partner.tier, on=today)
        if code not in MISSING.get(partner.slug, set())
    ] + EXTRAS.get(partner.slug, [])
    services = {}
    for code, model, amount in offered:
        reference = reference_service_get(code=code)
        fields = (
            {"price_amount": _price(amount, partner.currency)}
            if model not in ("percentage", "free")
            else {}
        )
        if model == "percentage":
            fields = {"percentage": Decimal(amount)}
        services[code] = service_create(
            actor=None,
            code=code,
            reference_code=code,
            pricing_model=model,
            available_from=since,
            name={language: str(reference.name)},
            **fields,
        )
    subscribed = 0
    for index, activity in enumerate(activities[:4]):
        for code in ("grant_help", "coworking", "insurance", "delivery_platform"):
            if code in services:
                subscription_create(
                    activity=activity,
                    service=services[code],
                    starts_on=since + dt.timedelta(days=15 + 20 * index),
                )
                subscribed += 1
                break
    month = month_start(since)
    last_month = month_start(today.replace(day=1) - dt.timedelta(days=1))
    while month <= last_month:
        charges_bill_month(period=month, today=today)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    coverage_push(as_of=today)
    return {
        "services": len(services),
        "subscriptions": subscribed,
        "schema": connection.schema_name,
    }
