"""Install a charter for every tier, in force from 2000-01-01 (before any partner's first
invoice), so that a fresh platform is never without one. Headquarters changes it by new
dated versions; a tier that already has a version is left alone.

The values follow the federation's own papers (docs/architecture.md, "The charter"):
partners charge members 6.5-8 % of turnover, headquarters holds at least one seat on each
network partner's board, a cooperative may pay a capped return on shares. The Academy asks
least, Open Smart little, the social franchise a minimum core, the European group full
convergence.
"""

import datetime
from decimal import Decimal as D

from django.db import migrations

FROM = datetime.date(2000, 1, 1)
ALL_FIGURES = [
    "operating_result",
    "equity",
    "staff_fte",
    "hq_capital",
    "hq_current_account",
    "hq_voting_share",
]
DEFAULTS = {
    "academy": {
        "fee_rate_min": D("0.0100"),
        "fee_rate_max": D("0.1500"),
        "contribution_rate": D("0.0000"),
        "share_remuneration_cap": D("0.0500"),
        "min_hq_board_seats": 0,
        "reporting_frequency": "none",
        "report_due_months": 12,
        "report_figures": [],
    },
    "open_smart": {
        "fee_rate_min": D("0.0500"),
        "fee_rate_max": D("0.1200"),
        "contribution_rate": D("0.0000"),
        "share_remuneration_cap": D("0.0500"),
        "min_hq_board_seats": 0,
        "reporting_frequency": "annual",
        "report_due_months": 9,
        "report_figures": ["operating_result", "equity", "staff_fte"],
    },
    "social_franchise": {
        "fee_rate_min": D("0.0600"),
        "fee_rate_max": D("0.0900"),
        "contribution_rate": D("0.0050"),
        "share_remuneration_cap": D("0.0400"),
        "min_hq_board_seats": 1,
        "reporting_frequency": "annual",
        "report_due_months": 6,
        "report_figures": ALL_FIGURES,
    },
    "european_group": {
        "fee_rate_min": D("0.0650"),
        "fee_rate_max": D("0.0800"),
        "contribution_rate": D("0.0100"),
        "share_remuneration_cap": D("0.0300"),
        "min_hq_board_seats": 1,
        "reporting_frequency": "annual",
        "report_due_months": 6,
        "report_figures": ALL_FIGURES,
    },
}


def install(apps, schema_editor):
    Charter = apps.get_model("charter", "Charter")
    for tier, values in DEFAULTS.items():
        if Charter.objects.filter(tier=tier).exists():
            continue
        Charter.objects.create(
            tier=tier,
            effective_from=FROM,
            no_profit_distribution=True,
            small_count_min=3,
            dominance_max=D("0.8500"),
            note="Default charter installed by migration.",
            created_by="migrate",
            **values,
        )


class Migration(migrations.Migration):
    dependencies = [("charter", "0002_charter_history_trigger")]

    # No reverse: versions in force are history (the trigger refuses deleting them).
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
