"""Reading a partner's settings. ``fee_rate`` is the only way anyone reads the fee rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet

from tenants.partner_settings.exceptions import FeeRateNotFound, SettingsMissing
from tenants.partner_settings.models import FeeRate, PartnerSettings


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
    TODO(charter): once the federation charter exists, bound the rate here by the band of
    the partner's tier on ``on`` (raise ``CharterViolation``), as DESIGN.md requires.

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
