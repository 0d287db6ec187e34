"""The demo partners' charter settings and annual reports, written through the same
services as the API (so the charter's bounds apply to the seed as to everyone): the
board seats headquarters holds (two in Germany and Italy), each tier's contribution,
Sweden's capped share return; a report for each year since founding, except Italy's last
(the findings page has a gap to show); then each partner's charter check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from shared.charter.services import annual_report_file
from tenants.charter_checks.tasks import charter_check_here
from tenants.partner_settings.services import partner_settings_update

# Per partner, the bounded settings it starts with (fractions as decimal strings).
DEMO_SETTINGS = {
    "be": {"share_remuneration_rate": "0.0150"},
    "fr": {"share_remuneration_rate": "0.0100"},
    "de": {"hq_board_seats": 2, "contribution_rate": "0.0050"},
    "it": {"hq_board_seats": 2, "contribution_rate": "0.0050"},
    "es": {"contribution_rate": "0.0050"},
    "at": {"contribution_rate": "0.0000", "fee_rate": "0.0750"},
    "se": {"contribution_rate": "0.0000", "share_remuneration_rate": "0.0200"},
}
# Years left without a report, to show a finding.
MISSING_REPORTS = {"it": 1}


def seed_charter_settings(partner, *, today: dt.date) -> None:
    """Apply ``DEMO_SETTINGS`` in ``partner``'s schema (active); a value out of the
    tier's bounds is refused here like anywhere (``CharterBoundViolated``)."""
    data = dict(DEMO_SETTINGS.get(partner.slug, {}))
    for dated in ("fee_rate", "contribution_rate"):
        if dated in data:
            data[f"{dated}_effective_from"] = today
    if data:
        partner_settings_update(actor=None, data=data)


def seed_annual_reports(partner, *, today: dt.date) -> int:
    """File a report for each ended year since the partner's founding (amounts in its
    currency, grown from a small first year), but the last ``MISSING_REPORTS`` years."""
    first = (partner.founded_on or today).year
    last = today.year - 1 - MISSING_REPORTS.get(partner.slug, 0)
    filed = 0
    for index, year in enumerate(range(first, last + 1)):
        scale = Decimal(index + 1)
        annual_report_file(
            partner=partner,
            actor=None,
            year=year,
            today=today,
            figures={
                "operating_result": Decimal("-20000") + Decimal("9000") * scale,
                "equity": Decimal("15000") * scale,
                "staff_fte": Decimal("2.50") * scale,
                "hq_capital": Decimal("50000"),
                "hq_current_account": Decimal("30000") * scale,
                "hq_voting_share": Decimal("0.1100") if partner.slug == "se" else Decimal("0.2000"),
            },
        )
        filed += 1
    return filed


def seed_charter(partner, *, today: dt.date) -> int:
    """A new demo partner's settings and reports (in its schema, active); returns how many
    reports were filed."""
    seed_charter_settings(partner, today=today)
    if partner.tier == "academy":
        return 0
    return seed_annual_reports(partner, today=today)


def seed_charter_checks(partners, *, today: dt.date, out) -> None:
    """Run each partner's charter check (what the nightly beat does), so the demo's
    findings exist from the start. Safe to rerun: a check that finds nothing new changes
    nothing."""
    for partner in partners:
        connection.set_tenant(partner)
        try:
            result = charter_check_here(today=today)
        finally:
            connection.set_schema_to_public()
        out.write(
            f"  {partner.slug}: charter check, {result['opened']} findings opened, "
            f"{result['resolved']} resolved\n"
        )
