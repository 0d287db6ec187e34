"""What the partner's settings tell the federation's charter: the dated schedules of the
bounded settings, pushed out of the partner's schema into the public
``PartnerCharterState`` (tenant-side code, for its own partner only), so that
headquarters' checks never read a partner's tables."""

from __future__ import annotations

from common.tenancy import current_partner
from shared.charter.services import charter_state_store
from tenants.partner_settings.models import ContributionRate, FeeRate
from tenants.partner_settings.selectors import partner_settings_get


def settings_schedule() -> dict:
    """``{name: [[effective_from or None, value], ...]}`` of the bounded settings
    (``shared.charter.enforcement.BOUNDED_SETTINGS``), oldest first: fractions as decimal
    strings, the board seats as an int; an undated setting is one ``[None, value]``."""
    settings = partner_settings_get()

    def dated(model) -> list:
        return [
            [row.effective_from.isoformat(), str(row.rate)]
            for row in model.objects.order_by("effective_from")
        ]

    return {
        "fee_rate": dated(FeeRate),
        "contribution_rate": dated(ContributionRate),
        "share_remuneration_rate": [[None, str(settings.share_remuneration_rate)]],
        "hq_board_seats": [[None, settings.hq_board_seats]],
    }


def settings_state_push() -> None:
    """Push this partner's bounded settings to the federation (idempotent; called within
    each write of them, and by the nightly check)."""
    charter_state_store(partner=current_partner(), settings=settings_schedule())
