"""Partner settings: installed by migration, dated fee rates, admin-only changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tenants.audit.models import AuditEntry
from tenants.partner_settings.exceptions import FeeRateNotFound, SettingsInvalid
from tenants.partner_settings.models import FeeRate
from tenants.partner_settings.selectors import fee_rate, partner_settings_get
from tenants.partner_settings.services import fee_rate_set, partner_settings_update


def test_every_partner_has_its_settings_installed_by_migration(partner_a, partner_b, in_schema):
    for partner in (partner_a, partner_b):
        with in_schema(partner):
            settings = partner_settings_get()
            assert settings.guarantee_fund_share == Decimal("0.1000")
            assert settings.fund_overdue_days == 30
            assert settings.invoice_number_format == "{country}-{year}-{seq:06d}"
            assert fee_rate(on=dt.date(2026, 1, 1)) == Decimal("0.0700")


def test_fee_rate_is_the_one_in_force_on_the_date(partner_a, in_schema):
    with in_schema(partner_a):
        fee_rate_set(
            rate="0.0800", effective_from=dt.date(2025, 7, 1), actor=None, allow_retroactive=True
        )
        assert fee_rate(on=dt.date(2025, 6, 30)) == Decimal("0.0700")
        assert fee_rate(on=dt.date(2025, 7, 1)) == Decimal("0.0800")
        assert fee_rate(on=dt.date(2030, 1, 1)) == Decimal("0.0800")


def test_fee_rate_before_any_rate_is_an_error(partner_a, in_schema):
    with in_schema(partner_a):
        with pytest.raises(FeeRateNotFound):
            fee_rate(on=dt.date(1999, 12, 31))


@pytest.mark.parametrize("rate", ["1", "1.5", "-0.01", "0.07001", "abc"])
def test_fee_rate_outside_zero_to_one_is_refused(partner_a, in_schema, rate):
    with in_schema(partner_a):
        with pytest.raises(SettingsInvalid):
            fee_rate_set(rate=rate, effective_from=dt.date(2099, 1, 1), actor=None)
        assert not FeeRate.objects.filter(effective_from=dt.date(2099, 1, 1)).exists()


def test_a_retroactive_fee_rate_is_refused_by_default(partner_a, in_schema):
    with in_schema(partner_a):
        with pytest.raises(SettingsInvalid):
            fee_rate_set(rate="0.08", effective_from=dt.date(2020, 1, 1), actor=None)


def test_settings_update_is_audited(partner_a, in_schema):
    with in_schema(partner_a):
        partner_settings_update(actor=None, data={"fund_overdue_days": 45})
        row = AuditEntry.objects.get(action="settings.update")
        assert row.changes == {"fund_overdue_days": {"before": 30, "after": 45}}


def test_any_partner_role_reads_the_settings(partner_a, make_user, api):
    for role in ("admin", "advisor", "accountant", "member"):
        response = api(partner_a, make_user(partner_a, role)).get("/api/v1/settings/")
        assert response.status_code == 200, role
        assert response.json()["fee_rate"] == "0.0700"
        assert response.json()["currency"] == "EUR"


def test_only_admin_changes_the_settings(partner_a, make_user, api, in_schema):
    for role in ("advisor", "accountant", "member"):
        response = api(partner_a, make_user(partner_a, role)).patch(
            "/api/v1/settings/", {"fund_overdue_days": 10}, format="json"
        )
        assert response.status_code == 403, role
    response = api(partner_a, make_user(partner_a, "admin")).patch(
        "/api/v1/settings/",
        {"fund_overdue_days": 10, "fee_rate": "0.0750", "fee_rate_effective_from": "2099-01-01"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["fund_overdue_days"] == 10
    with in_schema(partner_a):
        assert fee_rate(on=dt.date(2099, 1, 1)) == Decimal("0.0750")


@pytest.mark.parametrize(
    "payload",
    [
        {"fee_rate": "1.2", "fee_rate_effective_from": "2099-01-01"},
        {"guarantee_fund_share": "2"},
        {"invoice_number_format": "{country}-{year}"},
        {"invoice_number_format": "{client}-{seq}"},
        {"fund_overdue_days": -1},
        {"chart_of_accounts": {"accounts": {"bank": "51 20"}}},
        # Letters and digits of other scripts are not what a FEC or a bank file accepts.
        {"chart_of_accounts": {"accounts": {"bank": "٥١٢"}}},
        {"chart_of_accounts": {"journals": {"sales": "VÉ"}}},
        {"colour": "blue"},
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(
    partner_a, make_user, api, in_schema, payload
):
    admin = make_user(partner_a, "admin")
    response = api(partner_a, admin).patch("/api/v1/settings/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["message"]
    with in_schema(partner_a):
        settings = partner_settings_get()
        assert settings.fund_overdue_days == 30
        assert settings.guarantee_fund_share == Decimal("0.1000")
        assert FeeRate.objects.count() == 1


def test_settings_are_per_partner(partner_a, partner_b, in_schema):
    with in_schema(partner_a):
        partner_settings_update(actor=None, data={"fund_overdue_days": 60})
    with in_schema(partner_b):
        assert partner_settings_get().fund_overdue_days == 30


def test_the_federation_host_cannot_reach_partner_settings(db, make_user, api):
    hq = make_user(None, "hq_admin")
    assert api(None, hq).get("/api/v1/settings/").status_code == 404
