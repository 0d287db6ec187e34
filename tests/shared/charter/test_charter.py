"""The charter's versions: installed by migrate for every tier, chosen by date, never
edited once in force (service and database), audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from shared.charter.exceptions import (
    CharterInvalid,
    CharterNotFound,
    CharterVersionExists,
    CharterVersionInForce,
)
from shared.charter.models import Charter
from shared.charter.selectors import charter_in_force
from shared.charter.services import charter_create, charter_update
from tenants.audit.models import AuditEntry
from tenants.partners.models import Tier


def test_migrate_installs_a_charter_for_every_tier(db):
    versions = {c.tier: c for c in Charter.objects.filter(effective_from=dt.date(2000, 1, 1))}

    assert set(versions) == set(Tier.values)
    europe, academy = versions["european_group"], versions["academy"]
    assert (europe.fee_rate_min, europe.fee_rate_max) == (Decimal("0.0650"), Decimal("0.0800"))
    assert europe.min_hq_board_seats >= 1
    assert europe.requires_annual_report
    assert academy.fee_rate_max - academy.fee_rate_min > europe.fee_rate_max - europe.fee_rate_min
    assert not academy.requires_annual_report
    assert (europe.small_count_min, europe.dominance_max) == (3, Decimal("0.8500"))


def test_the_version_in_force_is_chosen_by_the_date(db, new_version):
    later = new_version("open_smart", dt.date(2024, 7, 1), fee_rate_min=Decimal("0.0600"))

    assert charter_in_force("open_smart", dt.date(2024, 6, 30)).effective_from == dt.date(
        2000, 1, 1
    )
    assert charter_in_force("open_smart", dt.date(2024, 7, 1)) == later
    assert charter_in_force("open_smart", dt.date(2030, 1, 1)) == later
    assert charter_in_force("social_franchise", dt.date(2024, 7, 1)).effective_from.year == 2000


def test_no_charter_before_the_first_version_is_a_clear_error(db):
    with pytest.raises(CharterNotFound, match="open_smart.*1999-12-31"):
        charter_in_force("open_smart", dt.date(1999, 12, 31))


def test_a_new_version_copies_what_it_does_not_change_and_is_audited(hq_admin, future):
    charter = charter_create(
        actor=hq_admin, tier="social_franchise", effective_from=future, fee_rate_max="0.0850"
    )

    assert charter.fee_rate_max == Decimal("0.0850")
    assert charter.fee_rate_min == Decimal("0.0600")
    assert charter.min_hq_board_seats == 1
    entry = AuditEntry.objects.get(action="charter.create", object_id=str(charter.pk))
    assert entry.actor_username == hq_admin.username
    assert entry.changes["fee_rate_max"] == "0.0850"


def test_a_version_cannot_start_in_the_past_nor_twice_on_one_day(hq_admin, today, future):
    with pytest.raises(CharterInvalid):
        charter_create(actor=hq_admin, tier="academy", effective_from=today - dt.timedelta(days=1))
    charter_create(actor=hq_admin, tier="academy", effective_from=future)
    with pytest.raises(CharterVersionExists):
        charter_create(actor=hq_admin, tier="academy", effective_from=future)


def test_a_band_whose_minimum_is_above_its_maximum_is_refused(hq_admin, future):
    with pytest.raises(CharterInvalid) as refused:
        charter_create(
            actor=hq_admin,
            tier="academy",
            effective_from=future,
            fee_rate_min="0.0900",
            fee_rate_max="0.0800",
        )
    assert "fee_rate_min" in refused.value.extra["fields"]


def test_a_version_in_force_is_never_edited(hq_admin, today):
    charter = charter_in_force("european_group", today)

    with pytest.raises(CharterVersionInForce):
        charter_update(charter=charter, actor=hq_admin, fee_rate_min="0.0500")

    charter.refresh_from_db()
    assert charter.fee_rate_min == Decimal("0.0650")


def test_the_database_refuses_to_change_or_delete_a_version_in_force(db, today):
    charter = charter_in_force("european_group", today)

    for statement in (
        "UPDATE charter_charter SET fee_rate_min = 0.01 WHERE id = %s",
        "DELETE FROM charter_charter WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [charter.pk])
    charter.refresh_from_db()
    assert charter.fee_rate_min == Decimal("0.0650")


def test_the_database_refuses_a_band_upside_down(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Charter.objects.create(
            tier="academy",
            effective_from=dt.date(2090, 1, 1),
            fee_rate_min=Decimal("0.09"),
            fee_rate_max=Decimal("0.08"),
            contribution_rate=0,
            share_remuneration_cap=0,
            min_hq_board_seats=0,
            reporting_frequency="none",
        )


def test_a_version_not_yet_in_force_may_be_changed(hq_admin, future):
    charter = charter_create(actor=hq_admin, tier="open_smart", effective_from=future)

    charter_update(charter=charter, actor=hq_admin, min_hq_board_seats=1)

    charter.refresh_from_db()
    assert charter.min_hq_board_seats == 1
    assert AuditEntry.objects.filter(action="charter.update", object_id=str(charter.pk)).exists()
