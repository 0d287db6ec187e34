"""The reference catalogue on the federation host: installed by migrate, translated,
kept by hq_admin, read by hq_analyst, closed to partner tokens."""

import datetime as dt

from services_catalog.reference.models import ReferenceService, TierRequirement
from services_catalog.reference.selectors import core_codes
from services_catalog.translated import LANGUAGES

EXPECTED_CODES = {
    "invoicing",
    "salary_conversion",
    "guarantee_fund",
    "advances",
    "insurance",
    "training",
    "coworking",
    "legal_help",
    "mobility_helpdesk",
    "grant_help",
    "delivery_platform",
}


def test_migrate_installs_every_reference_service_in_all_seven_languages(db):
    services = {s.code: s for s in ReferenceService.objects.all()}

    assert EXPECTED_CODES <= set(services)
    for service in services.values():
        for language in LANGUAGES:
            assert getattr(service, f"name_{language}"), (service.code, language)
            assert getattr(service, f"description_{language}"), (service.code, language)
    assert services["grant_help"].name_sv == "Hjälp med offentliga bidrag"


def test_migrate_installs_dated_core_requirements_for_every_tier(db):
    on = dt.date(2025, 6, 1)

    assert core_codes(tier="academy", on=on) == ["invoicing"]
    assert "guarantee_fund" in core_codes(tier="social_franchise", on=on)
    assert core_codes(tier="open_smart", on=dt.date(2019, 1, 1)) == []
    assert TierRequirement.objects.filter(tier="european_group", level="optional").exists()


def test_reference_services_come_in_the_callers_language(db, api, make_user):
    analyst = make_user(None, "hq_analyst", language="de")

    response = api(None, analyst).get("/api/v1/reference-services/grant_help/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["name"] == "Hilfe bei öffentlichen Fördermitteln"
    assert body["language"] == "de"
    assert body["translations"]["name"]["sv"] == "Hjälp med offentliga bidrag"
    assert {r["tier"] for r in body["requirements"]} >= {"open_smart", "european_group"}


def test_hq_admin_creates_a_service_with_texts_in_several_languages(api, hq_admin):
    response = api(None, hq_admin).post(
        "/api/v1/reference-services/",
        {
            "code": "childcare_help",
            "category": "advice",
            "name": {"en": "Childcare help", "fr": "Aide à la garde d'enfants"},
            "description": {"en": "Finding childcare.", "sv": "Hitta barnomsorg."},
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    service = ReferenceService.objects.get(code="childcare_help")
    assert service.name_fr == "Aide à la garde d'enfants"
    assert service.description_sv == "Hitta barnomsorg."


def test_a_service_without_english_name_is_refused(api, hq_admin):
    response = api(None, hq_admin).post(
        "/api/v1/reference-services/",
        {"code": "nameless", "category": "advice", "name": {"fr": "Sans nom"}},
        format="json",
    )

    assert response.status_code == 400
    assert "English" in response.json()["message"]
    assert not ReferenceService.objects.filter(code="nameless").exists()


def test_an_unknown_language_is_refused(api, hq_admin):
    response = api(None, hq_admin).post(
        "/api/v1/reference-services/",
        {"code": "klingon", "category": "advice", "name": {"en": "X", "tlh": "Y"}},
        format="json",
    )

    assert response.status_code == 400
    assert "tlh" in str(response.json()["extra"])


def test_hq_admin_ends_a_requirement_and_adds_a_new_one(api, hq_admin):
    client = api(None, hq_admin)
    current = TierRequirement.objects.get(service__code="advances", tier="open_smart")

    ended = client.patch(
        f"/api/v1/tier-requirements/{current.pk}/",
        {"effective_until": "2026-12-31"},
        format="json",
    )
    added = client.post(
        "/api/v1/tier-requirements/",
        {"code": "advances", "tier": "open_smart", "level": "core", "effective_from": "2027-01-01"},
        format="json",
    )

    assert ended.status_code == 200, ended.json()
    assert added.status_code == 201, added.json()
    assert "advances" not in core_codes(tier="open_smart", on=dt.date(2026, 12, 31))
    assert "advances" in core_codes(tier="open_smart", on=dt.date(2027, 1, 1))


def test_overlapping_requirement_is_refused(api, hq_admin):
    response = api(None, hq_admin).post(
        "/api/v1/tier-requirements/",
        {
            "code": "invoicing",
            "tier": "academy",
            "level": "optional",
            "effective_from": "2030-01-01",
        },
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "tier_requirement_overlap"


def test_requirement_ending_before_it_starts_is_refused(api, hq_admin):
    response = api(None, hq_admin).post(
        "/api/v1/tier-requirements/",
        {
            "code": "grant_help",
            "tier": "academy",
            "level": "optional",
            "effective_from": "2030-01-01",
            "effective_until": "2029-01-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "tier_requirement_invalid"


def test_hq_analyst_reads_but_cannot_write(api, hq_analyst):
    client = api(None, hq_analyst)

    assert client.get("/api/v1/reference-services/").status_code == 200
    response = client.post(
        "/api/v1/reference-services/",
        {"code": "x_service", "category": "advice", "name": {"en": "X"}},
        format="json",
    )
    assert response.status_code == 403


def test_partner_tokens_are_unknown_on_the_federation_host(api, partner_a, make_user):
    admin = make_user(partner_a, "admin")

    response = api(None).get(
        "/api/v1/reference-services/",
        HTTP_AUTHORIZATION=f"Token {_token_of(partner_a, admin)}",
    )

    assert response.status_code == 401


def test_reference_catalogue_is_not_served_on_partner_hosts(api, partner_a, make_user):
    admin = make_user(partner_a, "admin")

    response = api(partner_a, admin).get("/api/v1/reference-services/")

    assert response.status_code == 404


def _token_of(partner, user):
    from rest_framework.authtoken.models import Token

    from tests.conftest import schema_of

    with schema_of(partner):
        return Token.objects.get_or_create(user=user)[0].key


def test_a_german_caller_updating_french_keeps_the_other_languages(db, api, make_user):
    admin = make_user(None, "hq_admin", language="de")

    response = api(None, admin).patch(
        "/api/v1/reference-services/advances/", {"name": {"fr": "Avances"}}, format="json"
    )

    assert response.status_code == 200, response.json()
    service = ReferenceService.objects.get(code="advances")
    assert (service.name_fr, service.name_de, service.name_en) == (
        "Avances",
        "Vorschüsse",
        "Cash advances",
    )
    assert service.__dict__["name"] == "Cash advances"
