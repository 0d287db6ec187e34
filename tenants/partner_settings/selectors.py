"""Reading a partner's settings. ``fee_rate`` is the only way anyone reads the fee rate,
``federation_contribution_rate`` the only way anyone reads the contribution rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet

from tenants.partner_settings.exceptions import (
    ContributionRateNotFound,
    FeeRateNotFound,
    SettingsMissing,
)
from tenants.partner_settings.models import ContributionRate, FeeRate, PartnerSettings


def partner_settings_get() -> PartnerSettings:
    """The current partner's settings row (installed by migration; raises
    ``SettingsMissing`` if a schema somehow lacks it)."""
    settings = PartnerSettings.objects.filter(pk=1).first()
    if settings is None:
        raise SettingsMissing()
    return settings


def fee_rate(*, on: dt.date) -> Decimal:
    """The cooperative's fee rate in force on ``on`` (the date of the fact: the payment or
    invoice date, never today), as a fraction of turnover excluding VAT
    (``Decimal('0.0700')`` = 7 %).

    The one and only reader of the fee rate: every fee computation goes through here.
    The charter's band is enforced where a rate is written (``services.fee_rate_set``,
    against the charter in force on the rate's first day) and watched by the nightly
    check; it is deliberately not enforced here: a new charter version that puts a
    stored rate out of band opens a finding, it does not stop the partner's invoicing,
    and a fee already taken stays explainable by the rate it was taken with.

    Raises ``FeeRateNotFound`` when no rate is in force on that date.
    """
    rate = (
        FeeRate.objects.filter(effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise FeeRateNotFound(extra={"on": on.isoformat()})
    return rate


def fee_rate_history() -> QuerySet[FeeRate]:
    """Every dated fee rate, newest first."""
    return FeeRate.objects.order_by("-effective_from")


def federation_contribution_rate(*, on: dt.date) -> Decimal:
    """The partner's federation contribution rate in force on ``on`` (the date of the
    fact), as a fraction of turnover excluding VAT (``Decimal('0.0100')`` = 1 %); at least
    the charter's ``contribution_rate`` when it was set. Raises
    ``ContributionRateNotFound`` when none is in force on that date."""
    rate = (
        ContributionRate.objects.filter(effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise ContributionRateNotFound(extra={"on": on.isoformat()})
    return rate


def contribution_rate_history() -> QuerySet[ContributionRate]:
    """Every dated contribution rate, newest first."""
    return ContributionRate.objects.order_by("-effective_from")
