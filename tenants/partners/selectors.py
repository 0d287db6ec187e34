"""Reads of the partner registry."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tenants.partners.exceptions import PartnerNotFound
from tenants.partners.models import Partner, PartnerEvent


def partner_list(*, tier: str | None = None, status: str | None = None) -> QuerySet[Partner]:
    qs = Partner.objects.all()
    if tier:
        qs = qs.filter(tier=tier)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("slug")


def partner_get(*, slug: str) -> Partner:
    """The partner with ``slug``; raises ``PartnerNotFound``."""
    try:
        return Partner.objects.get(slug=slug)
    except Partner.DoesNotExist:
        raise PartnerNotFound(_("No partner %(slug)s.") % {"slug": repr(slug)}) from None


def partner_state_on(*, partner: Partner, on: dt.date) -> PartnerEvent | None:
    """The last event in force on ``on`` (its ``tier`` and ``status`` are the partner's
    on that date), or None before the partner existed."""
    return (
        PartnerEvent.objects.filter(partner=partner, effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .first()
    )


def partner_tier_on(*, partner: Partner, on: dt.date) -> str | None:
    """The partner's tier on ``on`` (a ``Tier`` value), or None before it existed."""
    event = partner_state_on(partner=partner, on=on)
    return event.tier if event else None
