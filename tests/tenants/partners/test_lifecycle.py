"""The tenant lifecycle: creation from the template, atomicity, promotion, suspension,
archiving, and the dated history."""

import datetime as dt

import pytest
from django.db import connection
from django_tenants.utils import schema_exists

from tenants.partners import services
from tenants.partners.exceptions import PartnerExists, PartnerInvalid, TransitionRefused
from tenants.partners.models import Domain, Partner, PartnerEvent
from tenants.partners.selectors import partner_tier_on
from tests.helpers import meet_charter


def test_create_partner_makes_schema_host_and_history(db):
    partner = services.partner_create(
        slug="philly",
        name="Philadelphia Coop",
        country="US",
        tier="academy",
        founded_on=dt.date(2023, 4, 1),
    )
    assert schema_exists("philly")
    assert partner.currency == "USD"
    assert partner.default_locale == "en_US"
    assert Domain.objects.get(tenant=partner).domain == "philly.localhost"
    event = PartnerEvent.objects.get(partner=partner)
    assert (event.kind, event.tier, event.effective_on) == (
        "created",
        "academy",
        dt.date(2023, 4, 1),
    )


def test_created_schema_has_the_tenant_tables_and_migration_records(db):
    partner = services.partner_create(slug="gamma", name="Gamma", country="AT", tier="open_smart")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s "
            "AND table_name = 'accounts_user'",
            [partner.schema_name],
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute(f'SELECT count(*) FROM "{partner.schema_name}".django_migrations')
        assert cursor.fetchone()[0] > 10


def test_failure_in_the_middle_of_creation_leaves_nothing(db, monkeypatch):
    def explode(partner):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_register_domains", explode)
    with pytest.raises(RuntimeError):
        services.partner_create(slug="broken", name="Broken", country="IT", tier="open_smart")

    assert not schema_exists("broken")
    assert not Partner.objects.filter(slug="broken").exists()
    assert not Domain.objects.filter(domain="broken.localhost").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slug", "Bad Slug"),
        ("slug", "www"),
        ("country", "XX"),
        ("country", "EU"),
        ("tier", "gold"),
        ("currency", "EURO"),
        ("name", " "),
        ("default_locale", "zz_ZZ"),
    ],
)
def test_create_rejects_invalid_details_and_creates_nothing(db, field, value):
    details = {"slug": "delta", "name": "Delta", "country": "ES", "tier": "open_smart"}
    details[field] = value
    with pytest.raises(PartnerInvalid):
        services.partner_create(**details)
    assert not Partner.objects.filter(slug="delta").exists()
    assert not schema_exists("delta")


def test_create_rejects_a_taken_slug(partner_a):
    with pytest.raises(PartnerExists):
        services.partner_create(slug="alpha", name="Again", country="DE", tier="open_smart")


def test_promotion_keeps_schema_and_is_dated(db, in_schema):
    from django.contrib.auth.models import Group

    partner = services.partner_create(
        slug="santiago",
        name="Iniciativa Chile",
        country="CL",
        tier="academy",
        founded_on=dt.date(2024, 1, 10),
    )
    with in_schema(partner):
        Group.objects.create(name="kept through promotion")
    meet_charter(partner, "open_smart", dt.date(2025, 6, 1))

    services.partner_promote(partner=partner, tier="open_smart", effective_on=dt.date(2025, 6, 1))

    partner.refresh_from_db()
    assert partner.tier == "open_smart"
    with in_schema(partner):
        assert Group.objects.filter(name="kept through promotion").exists()
    assert partner_tier_on(partner=partner, on=dt.date(2024, 12, 31)) == "academy"
    assert partner_tier_on(partner=partner, on=dt.date(2025, 6, 1)) == "open_smart"
    assert partner_tier_on(partner=partner, on=dt.date(2023, 1, 1)) is None


def test_nobody_is_demoted_to_the_academy(partner_a):
    with pytest.raises(TransitionRefused):
        services.partner_promote(partner=partner_a, tier="academy")


def test_suspend_requires_a_reason_and_an_active_partner(partner_a):
    with pytest.raises(PartnerInvalid):
        services.partner_suspend(partner=partner_a, reason="")
    services.partner_suspend(partner=partner_a, reason="Late reporting")
    with pytest.raises(TransitionRefused):
        services.partner_suspend(partner=partner_a, reason="Again")


def test_archive_keeps_schema_and_history(partner_b):
    services.partner_archive(partner=partner_b, reason="Dormant since 2020")
    partner_b.refresh_from_db()
    assert partner_b.status == "archived"
    assert schema_exists(partner_b.schema_name)
    kinds = list(partner_b.events.values_list("kind", flat=True))
    assert kinds[-1] == "archived"
    # A dormant partner may come back.
    services.partner_reactivate(partner=partner_b, reason="Relaunch")
    partner_b.refresh_from_db()
    assert partner_b.status == "active"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("currency", "XXX"),
        ("currency", "XAU"),
        ("default_locale", "de_DE@euro"),
        ("founded_on", dt.date(9999, 12, 31)),
    ],
)
def test_create_refuses_what_no_cooperative_is(db, field, value):
    details = {"slug": "omega", "name": "Omega", "country": "DE", "tier": "open_smart"}
    details[field] = value
    with pytest.raises(PartnerInvalid):
        services.partner_create(**details)
    assert not Partner.objects.filter(slug="omega").exists()


def test_a_change_cannot_take_effect_before_the_partner_existed(db):
    partner = services.partner_create(
        slug="lima", name="Lima", country="PE", tier="academy", founded_on=dt.date(2024, 5, 1)
    )
    with pytest.raises(TransitionRefused):
        services.partner_promote(
            partner=partner, tier="open_smart", effective_on=dt.date(2024, 4, 30)
        )
    partner.refresh_from_db()
    assert partner.tier == "academy"
