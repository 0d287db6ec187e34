"""Rollups: each partner's month computed in its schema, protected there, and stored in the
public table idempotently; a late change is picked up, a version bump replaces rows, and
nothing personal reaches the federation."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from shared.exchange_rates.exceptions import ExchangeRateMissing
from shared.rollups.exceptions import RollupInvalid
from shared.rollups.models import PartnerMonthFigures
from shared.rollups.selectors import (
    PUBLISHED,
    SUPPRESSED,
    rollup_amounts_in_eur,
    rollup_cells,
)
from shared.rollups.services import rollup_store
from tenants.accounting import rollups
from tenants.accounting.rollups import rollup_month_push, rollup_rebuild
from tests.shared.rollups.scenario import JAN, MARKER, seven_members

# The members applied in December 2024: rebuilds cover December to March.
UNTIL = dt.date(2025, 3, 31)


def rows(partner):
    return [
        model_to_dict(row, exclude=["id"])
        for row in PartnerMonthFigures.objects.filter(partner=partner).order_by("month")
    ]


@pytest.fixture
def seven(partner_a, in_schema):
    with in_schema(partner_a):
        seven_members()
    return partner_a


def test_a_month_of_seven_members_publishes_what_is_safe(seven, in_schema):
    with in_schema(seven):
        assert rollup_month_push(month=JAN) == "created"

    row = PartnerMonthFigures.objects.get(partner=seven, month=JAN)
    assert row.figures_version == rollups.FIGURES_VERSION
    assert row.currency == "EUR"
    assert row.members_active == 7
    assert row.members_joined == 7
    assert row.invoices_issued == 7
    assert row.turnover_invoiced == Decimal("5300.00")
    # Six members share the salary mass evenly: published.
    assert row.salary_mass == Decimal("3000.00")
    # One member in division 90: suppressed, and 74 (the smallest division at least as
    # large) with it, so that 90 is not the total minus the others.
    assert row.turnover_by_sector == {"62": "3000.00", "74": None, "90": None}
    assert row.activities == 7
    assert row.activities_by_sector == {"62": None, "74": 3, "90": None}
    assert row.suppressed == [
        "activities_by_sector.62",
        "activities_by_sector.90",
        "turnover_by_sector.74",
        "turnover_by_sector.90",
    ]
    # The partner's contribution rate (1 %, installed by migrate) on the month's turnover.
    assert "federation_contribution_due" not in row.unavailable
    assert row.federation_contribution_due == Decimal("53.00")


def test_readers_see_suppressed_and_unavailable_never_zero(seven, in_schema):
    with in_schema(seven):
        rollup_month_push(month=JAN)
    cells = rollup_cells(PartnerMonthFigures.objects.get(partner=seven, month=JAN))

    assert cells["turnover_by_sector.90"].state == SUPPRESSED
    assert cells["turnover_by_sector.90"].value is None
    assert cells["federation_contribution_due"].state == PUBLISHED
    assert cells["turnover_by_sector.62"].state == PUBLISHED
    assert cells["turnover_by_sector.62"].value == Decimal("3000.00")


def test_rerunning_a_month_changes_nothing(seven, in_schema):
    with in_schema(seven):
        rollup_month_push(month=JAN)
        before = rows(seven)

        assert rollup_month_push(month=JAN) == "unchanged"

    assert rows(seven) == before  # computed_at and checksum included


def test_rebuilding_every_month_gives_the_same_rows(seven, in_schema):
    with in_schema(seven):
        first = rollup_rebuild(until=UNTIL)
        before = rows(seven)
        second = rollup_rebuild(until=UNTIL)
        assert rows(seven) == before

        PartnerMonthFigures.objects.filter(partner=seven).delete()
        rollup_rebuild(until=UNTIL)

    assert first == {"created": 4}
    assert second == {"unchanged": 4}
    again = rows(seven)
    for row in (*before, *again):
        row.pop("computed_at")
    assert again == before


def test_a_late_credit_note_on_an_old_month_is_picked_up_by_the_next_run(seven, in_schema):
    from tenants.invoicing.models import Invoice
    from tenants.invoicing.services import invoice_credit_note_create

    with in_schema(seven):
        rollup_rebuild(until=UNTIL)
        invoice = Invoice.objects.filter(activity__sector="62.01").first()

        # When, in March, a credit note dated January is issued on a January invoice
        invoice_credit_note_create(
            invoice=invoice,
            reason=f"Late {MARKER}",
            created_by=None,
            lines=[{"description": "Refund", "quantity": "1", "unit_price": "400.00"}],
            issue_date=dt.date(2025, 1, 31),
        )
        counts = rollup_rebuild(until=UNTIL)

    assert counts == {"updated": 1, "unchanged": 3}
    row = PartnerMonthFigures.objects.get(partner=seven, month=JAN)
    assert row.turnover_invoiced == Decimal("4900.00")
    assert row.credit_notes_issued == 1
    assert row.turnover_by_sector["62"] == "2600.00"


def test_a_version_bump_replaces_older_rows_and_older_code_keeps_off_newer_ones(
    seven, in_schema, monkeypatch
):
    with in_schema(seven):
        rollup_rebuild(until=UNTIL)

        monkeypatch.setattr(rollups, "FIGURES_VERSION", rollups.FIGURES_VERSION + 1)
        bumped = rollup_rebuild(until=UNTIL)
        assert {r["figures_version"] for r in rows(seven)} == {rollups.FIGURES_VERSION}

        monkeypatch.undo()
        stale = rollup_rebuild(until=UNTIL)

    assert bumped == {"updated": 4}
    assert stale == {"kept_newer": 4}
    assert {r["figures_version"] for r in rows(seven)} == {rollups.FIGURES_VERSION + 1}


def test_a_partners_run_writes_only_its_own_rows(seven, partner_b, in_schema):
    # Given a row of partner B
    with in_schema(partner_b):
        rollup_month_push(month=JAN)
    b_before = rows(partner_b)

    # When partner A rebuilds
    with in_schema(seven):
        rollup_rebuild(until=UNTIL)

    # Then A has its rows, B's row is as it was
    assert len(rows(seven)) == 4
    assert rows(partner_b) == b_before
    assert PartnerMonthFigures.objects.exclude(partner__in=[seven, partner_b]).count() == 0


def test_no_personal_data_reaches_the_public_rollups(seven, in_schema):
    with in_schema(seven):
        rollup_rebuild(until=UNTIL)

    text = json.dumps(
        list(PartnerMonthFigures.objects.values()), default=str, ensure_ascii=False
    ).lower()
    assert MARKER.lower() not in text
    assert "example.org" not in text
    assert "studio" not in text


def test_the_store_refuses_a_suppressed_cell_with_a_value(seven, in_schema):
    from django.utils import timezone

    from tenants.accounting.month_cells import month_cells
    from tenants.accounting.rollups import publishable

    with in_schema(seven):
        figures = publishable(month_cells(month=JAN), tier="open_smart")
    figures.values["turnover_by_sector"]["90"] = Decimal("500.00")

    with pytest.raises(RollupInvalid) as refused:
        rollup_store(partner=seven, month=JAN, figures=figures, now=timezone.now())
    assert refused.value.extra["cells"] == ["turnover_by_sector.90"]


def test_the_database_refuses_a_null_cell_that_is_not_listed(seven, in_schema):
    from django.db import IntegrityError, transaction

    with in_schema(seven):
        rollup_month_push(month=JAN)

    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerMonthFigures.objects.filter(partner=seven).update(salary_mass=None)


def test_amounts_convert_to_euros_at_the_months_rate(partner_b, in_schema):
    from shared.exchange_rates.selectors import monthly_rate

    with in_schema(partner_b):
        from tests.shared.rollups.scenario import client, invoice, member_with_activity

        activity = member_with_activity("Siv", "62.01")
        invoice(activity, client(), "11000.00", issued=dt.date(2025, 1, 20))
        rollup_month_push(month=JAN)
    row = PartnerMonthFigures.objects.get(partner=partner_b, month=JAN)

    in_eur = rollup_amounts_in_eur(row)

    assert row.currency == "SEK"
    rate = monthly_rate(currency="SEK", month=JAN)
    assert in_eur["turnover_invoiced"].value == (Decimal("11000") / rate).quantize(
        Decimal("0.000001")
    )
    # One member: the sector's turnover stays suppressed, in euros too.
    assert in_eur["turnover_by_sector.62"].state == SUPPRESSED


def test_a_partner_in_pesos_cannot_be_consolidated_without_a_rate(partner_b):
    row = PartnerMonthFigures(
        partner=partner_b,
        month=JAN,
        currency="CLP",
        turnover_invoiced=Decimal("1000000"),
        turnover_collected=Decimal("0"),
        fees=Decimal("0"),
        suppressed=["fund_advances", "fund_write_offs", "salary_mass"],
        unavailable=["federation_contribution_due"],
    )

    with pytest.raises(ExchangeRateMissing) as missing:
        rollup_amounts_in_eur(row)
    assert missing.value.extra == {"currency": "CLP", "month": "2025-01"}


def test_the_command_pushes_one_partners_month(seven, capsys):
    call_command("rollup", "--partner", seven.slug, "--month", "2025-01")

    assert capsys.readouterr().out.strip() == f"{seven.slug}: created"
    assert [r["month"] for r in rows(seven)] == [JAN]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "argv",
    [
        ["--partner", "nowhere", "--month", "2025-01"],
        ["--month", "2025-13"],
        ["--month", "2025-01", "--all"],
    ],
)
def test_the_command_refuses_bad_arguments(argv):
    with pytest.raises(CommandError):
        call_command("rollup", *argv)


def test_the_nightly_beat_entry_rebuilds_every_partner():
    from config.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["accounting-rollups-nightly"]
    assert entry["task"] == "partners.for_each_partner"
    assert entry["args"] == ["accounting.rollup_rebuild"]
    assert "accounting.rollup_rebuild" in app.tasks


def test_the_charters_thresholds_decide_what_is_suppressed(seven, in_schema):
    """The thresholds are dated charter parameters: a version asking for 8 members hides
    the salary mass of six, which the default (3) publishes."""
    from shared.charter.services import charter_create

    charter_create(
        actor=None,
        tier=seven.tier,
        effective_from=dt.date(2025, 1, 1),
        today=dt.date(2024, 12, 1),
        small_count_min=8,
    )
    with in_schema(seven):
        rollup_month_push(month=JAN)

    row = PartnerMonthFigures.objects.get(partner=seven, month=JAN)
    assert row.salary_mass is None
    assert "salary_mass" in row.suppressed
    # Accounting totals are not personal: still published.
    assert row.turnover_invoiced == Decimal("5300.00")


def test_without_a_contribution_rate_the_contribution_is_unavailable(seven, in_schema):
    from tenants.partner_settings.models import ContributionRate

    with in_schema(seven):
        ContributionRate.objects.all().delete()
        rollup_month_push(month=JAN)

    row = PartnerMonthFigures.objects.get(partner=seven, month=JAN)
    assert row.federation_contribution_due is None
    assert "federation_contribution_due" in row.unavailable
