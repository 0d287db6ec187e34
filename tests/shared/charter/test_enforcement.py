"""A setting the charter bounds is checked against the charter of the partner's tier in
force on the date it takes effect, on every write path, and refused with the bound and the
version named; never clamped."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_exists

from shared.charter.exceptions import CharterBoundViolated
from tenants.partner_settings.models import FeeRate
from tenants.partner_settings.selectors import federation_contribution_rate, fee_rate
from tenants.partners.models import Partner


def test_a_fee_rate_out_of_band_is_refused_on_the_api_naming_bound_and_version(
    api, partner_a, admin_a, in_schema
):
    response = api(partner_a, admin_a).patch(
        "/api/v1/settings/",
        {"fee_rate": "0.0900", "fee_rate_effective_from": "2099-01-01"},
        format="json",
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "charter_violation"
    assert body["extra"]["bound"] == {"min": "0.0650", "max": "0.0800"}
    assert body["extra"]["charter"]["version"] == "european_group@2000-01-01"
    assert "0.0800" in body["message"]
    assert "european_group@2000-01-01" in body["message"]
    assert "fee_rate" in body["extra"]["fields"]
    with in_schema(partner_a):
        assert fee_rate(on=dt.date(2099, 1, 1)) == Decimal("0.0700")


def test_a_fee_rate_in_band_is_kept_as_given(api, partner_a, admin_a, in_schema):
    response = api(partner_a, admin_a).patch(
        "/api/v1/settings/",
        {"fee_rate": "0.0750", "fee_rate_effective_from": "2099-01-01"},
        format="json",
    )

    assert response.status_code == 200, response.content
    with in_schema(partner_a):
        assert fee_rate(on=dt.date(2099, 1, 1)) == Decimal("0.0750")


def test_the_charter_in_force_on_the_rates_first_day_decides(api, partner_a, admin_a, new_version):
    new_version("european_group", dt.date(2098, 1, 1), fee_rate_min=Decimal("0.0760"))
    client = api(partner_a, admin_a)

    before = client.patch(
        "/api/v1/settings/",
        {"fee_rate": "0.0750", "fee_rate_effective_from": "2097-12-31"},
        format="json",
    )
    after = client.patch(
        "/api/v1/settings/",
        {"fee_rate": "0.0750", "fee_rate_effective_from": "2098-01-01"},
        format="json",
    )

    assert before.status_code == 200
    assert after.status_code == 400
    assert after.json()["extra"]["charter"]["version"] == "european_group@2098-01-01"


@pytest.mark.parametrize(
    ("body", "setting", "bound"),
    [
        ({"contribution_rate": "0.0050"}, "contribution_rate", {"min": "0.0100"}),
        ({"share_remuneration_rate": "0.0400"}, "share_remuneration_rate", {"max": "0.0300"}),
        ({"hq_board_seats": 0}, "hq_board_seats", {"min": "1"}),
    ],
)
def test_each_bounded_setting_is_refused_out_of_bounds(
    api, partner_a, admin_a, in_schema, body, setting, bound
):
    response = api(partner_a, admin_a).patch("/api/v1/settings/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["extra"]["setting"] == setting
    assert response.json()["extra"]["bound"] == bound
    with in_schema(partner_a):
        from tenants.partner_settings.selectors import partner_settings_get

        stored = partner_settings_get()
        assert stored.hq_board_seats == 1
        assert stored.share_remuneration_rate == Decimal("0")
        assert federation_contribution_rate(on=dt.date(2026, 1, 1)) == Decimal("0.0100")


def test_the_settings_show_the_contribution_and_the_charter_bounds(api, partner_b, admin_b):
    body = api(partner_b, admin_b).get("/api/v1/settings/").json()

    assert body["fee_rate"] == "0.0700"
    assert body["contribution_rate"] == "0.0100"
    assert body["charter"]["version"] == "social_franchise@2000-01-01"
    assert body["charter"]["fee_rate_min"] == "0.0600"


def test_the_admin_refuses_a_fee_rate_out_of_band_with_the_version(
    partner_a, admin_a, admin_client, in_schema
):
    client = admin_client(partner_a, admin_a)

    response = client.post(
        "/admin/partner_settings/feerate/add/",
        {"rate": "0.0200", "effective_from": "2099-02-01", "note": ""},
    )

    assert response.status_code == 200  # the form again, with the error
    assert "european_group@2000-01-01" in response.content.decode()
    with in_schema(partner_a):
        assert not FeeRate.objects.filter(effective_from=dt.date(2099, 2, 1)).exists()


def test_the_admin_refuses_too_few_board_seats(partner_a, admin_a, admin_client, in_schema):
    from tenants.partner_settings.selectors import partner_settings_get

    client = admin_client(partner_a, admin_a)
    with in_schema(partner_a):
        row = partner_settings_get()
        form = {
            "guarantee_fund_share": row.guarantee_fund_share,
            "fund_overdue_days": row.fund_overdue_days,
            "invoice_number_format": row.invoice_number_format,
            "estimate_requires_validation": "on",
            "payment_terms_days": row.payment_terms_days,
            "share_nominal_value": row.share_nominal_value,
            "company_id": "",
            "chart_of_accounts": '{"accounts": {}}',
            "share_remuneration_rate": "0",
            "hq_board_seats": "0",
        }

    response = client.post("/admin/partner_settings/partnersettings/1/change/", form)

    assert response.status_code == 200
    assert "european_group@2000-01-01" in response.content.decode()
    with in_schema(partner_a):
        assert partner_settings_get().hq_board_seats == 1


def test_the_command_refuses_a_partner_whose_defaults_break_its_tiers_charter(
    db, new_version, today
):
    new_version("open_smart", today, fee_rate_min=Decimal("0.0800"))

    with pytest.raises(CommandError, match="open_smart@"):
        call_command(
            "create_partner",
            "omicron",
            "--name",
            "Omicron",
            "--country",
            "DE",
            "--tier",
            "open_smart",
            stdout=io.StringIO(),
        )

    assert not Partner.objects.filter(slug="omicron").exists()
    assert not schema_exists("omicron")


def test_every_tier_accepts_a_new_partners_defaults(db):
    from tests.helpers import make_partner

    for tier in ("academy", "open_smart", "social_franchise", "european_group"):
        partner = make_partner(f"new-{tier.replace('_', '-')}", tier=tier)
        assert partner.charter_state.settings["fee_rate"] == [["2000-01-01", "0.0700"]]


def test_the_demo_seed_goes_through_the_same_check(partner_a, in_schema, monkeypatch, today):
    from tenants.demo import charter as demo

    monkeypatch.setitem(demo.DEMO_SETTINGS, partner_a.slug, {"fee_rate": "0.0200"})

    with in_schema(partner_a), pytest.raises(CharterBoundViolated) as refused:
        demo.seed_charter_settings(partner_a, today=today)

    assert refused.value.extra["charter"]["version"] == "european_group@2000-01-01"


def test_ending_a_required_core_service_is_refused(partner_a, admin_a, api, in_schema):
    from services_catalog.local.services import service_create

    with in_schema(partner_a):
        service = service_create(
            actor=None,
            code="invoicing_de",
            reference_code="invoicing",
            name={"de": "Fakturierung"},
            pricing_model="free",
            available_from=dt.date(2020, 1, 1),
        )
    client = api(partner_a, admin_a)

    response = client.patch(
        f"/api/v1/services/{service.pk}/", {"available_until": "2099-06-30"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "charter_violation"
    assert response.json()["extra"]["bound"] == {"required": ["invoicing"]}
    assert response.json()["extra"]["on"] == "2099-07-01"
    with in_schema(partner_a):
        service.refresh_from_db()
        assert service.available_until is None


def test_ending_a_core_service_offered_twice_is_allowed(partner_a, in_schema):
    from services_catalog.local.services import service_create, service_update

    with in_schema(partner_a):
        first, _second = (
            service_create(
                actor=None,
                code=code,
                reference_code="invoicing",
                name={"de": code},
                pricing_model="free",
                available_from=dt.date(2020, 1, 1),
            )
            for code in ("invoicing_old", "invoicing_new")
        )
        service_update(service=first, actor=None, available_until=dt.date(2099, 6, 30))
        first.refresh_from_db()
        assert first.available_until == dt.date(2099, 6, 30)
