"""A promotion to a higher tier is refused with every unmet requirement of the target
tier's charter, and goes through once they are met."""

import datetime as dt

import pytest

from shared.charter.exceptions import CharterRequirementsUnmet
from tenants.partner_settings.services import partner_settings_update
from tenants.partners import services
from tests.helpers import meet_charter


@pytest.fixture
def academy(db, in_schema):
    partner = services.partner_create(
        slug="tucson",
        name="Tucson Coop",
        country="US",
        tier="academy",
        founded_on=dt.date(2024, 3, 1),
    )
    with in_schema(partner):
        # What the Academy allows and the European group does not: a 12 % fee, no seat for
        # headquarters, a 4 % return on shares, no contribution.
        partner_settings_update(
            actor=None,
            data={
                "fee_rate": "0.1200",
                "contribution_rate": "0",
                "hq_board_seats": 0,
                "share_remuneration_rate": "0.0400",
            },
        )
    return partner


def test_a_promotion_lists_every_unmet_requirement(academy, api, make_user):
    client = api(None, make_user(None, "hq_admin"))

    response = client.post(
        "/api/v1/partners/tucson/promote/", {"tier": "european_group"}, format="json"
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "charter_requirements_unmet"
    unmet = {(u["kind"], u["subject"]) for u in body["extra"]["unmet"]}
    assert unmet == {
        ("fee_rate", "fee_rate"),
        ("contribution_rate", "contribution_rate"),
        ("hq_board_seats", "hq_board_seats"),
        ("share_remuneration", "share_remuneration_rate"),
        ("core_service", "invoicing"),
        ("core_service", "salary_conversion"),
        ("core_service", "guarantee_fund"),
        ("core_service", "advances"),
        ("core_service", "insurance"),
        ("core_service", "training"),
        ("annual_report", "2024"),
        ("annual_report", "2025"),
    }
    assert all(
        u["charter"]["version"] == "european_group@2000-01-01" for u in body["extra"]["unmet"]
    )
    academy.refresh_from_db()
    assert academy.tier == "academy"


def test_a_promotion_goes_through_once_the_charter_is_met(academy, in_schema):
    with in_schema(academy):
        partner_settings_update(
            actor=None,
            data={
                "fee_rate": "0.0700",
                "contribution_rate": "0.0100",
                "hq_board_seats": 1,
                "share_remuneration_rate": "0.0200",
            },
        )
    meet_charter(academy, "european_group")

    services.partner_promote(partner=academy, tier="european_group")

    academy.refresh_from_db()
    assert academy.tier == "european_group"


def test_a_move_down_is_not_held_back_by_the_charter(academy, in_schema):
    meet_charter(academy, "social_franchise")
    with in_schema(academy):
        partner_settings_update(
            actor=None,
            data={"fee_rate": "0.0800", "hq_board_seats": 1, "share_remuneration_rate": "0.03"},
        )
        partner_settings_update(actor=None, data={"contribution_rate": "0.0050"})
    services.partner_promote(partner=academy, tier="social_franchise")

    with pytest.raises(CharterRequirementsUnmet):
        services.partner_promote(partner=academy, tier="european_group")
    services.partner_promote(partner=academy, tier="open_smart")

    academy.refresh_from_db()
    assert academy.tier == "open_smart"
