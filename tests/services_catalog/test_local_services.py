"""The local catalogue on a partner host: prices in the partner's currency, pricing
models, translations with fallback, and who may write."""

import datetime as dt
from decimal import Decimal

from services_catalog.local.models import Service
from tests.services_catalog.factories import ServiceFactory

GRANT_HELP = {
    "code": "grant_help_se",
    "reference_code": "grant_help",
    "name": {"sv": "Bidragshjälp", "en": "Grant help", "fr": "Aide aux subventions"},
    "description": {"sv": "Vi hjälper dig att söka offentliga bidrag."},
    "pricing_model": "flat_monthly",
    "price_amount": "450.00",
    "currency": "SEK",
    "available_from": "2025-01-01",
}


def _count(partner, in_schema, **filters):
    with in_schema(partner):
        return Service.objects.filter(**filters).count()


def test_admin_adds_a_service_priced_in_the_partners_currency(api, partner_b, admin_b, in_schema):
    response = api(partner_b, admin_b).post("/api/v1/services/", GRANT_HELP, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["currency"] == "SEK"
    assert body["price_amount"] == "450.00"
    assert body["reference_code"] == "grant_help"
    with in_schema(partner_b):
        service = Service.objects.get(code="grant_help_se")
        assert service.name_sv == "Bidragshjälp"
        assert service.name_fr == "Aide aux subventions"


def test_a_price_in_another_currency_is_refused(api, partner_b, admin_b, in_schema):
    response = api(partner_b, admin_b).post(
        "/api/v1/services/", {**GRANT_HELP, "currency": "EUR"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "service_currency_refused"
    assert "SEK" in response.json()["message"]
    assert _count(partner_b, in_schema) == 0


def test_a_negative_price_is_refused(api, partner_b, admin_b, in_schema):
    response = api(partner_b, admin_b).post(
        "/api/v1/services/", {**GRANT_HELP, "price_amount": "-1.00"}, format="json"
    )

    assert response.status_code == 400
    # Answered in the Swedish partner's language.
    assert response.json()["extra"]["fields"]["price_amount"] == [
        "Ett pris kan inte vara negativt."
    ]
    assert _count(partner_b, in_schema) == 0


def test_a_percentage_above_100_is_refused(api, partner_a, admin_a, in_schema):
    response = api(partner_a, admin_a).post(
        "/api/v1/services/",
        {
            "code": "insurance_de",
            "reference_code": "insurance",
            "name": {"de": "Versicherung"},
            "pricing_model": "percentage",
            "percentage": "101",
            "available_from": "2025-01-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "zwischen 0 und 100" in response.json()["message"]  # the German partner's language
    assert _count(partner_a, in_schema) == 0


def test_a_percentage_service_keeps_its_rate_as_a_percent(api, partner_a, admin_a, in_schema):
    response = api(partner_a, admin_a).post(
        "/api/v1/services/",
        {
            "code": "insurance_de",
            "reference_code": "insurance",
            "name": {"de": "Versicherung"},
            "pricing_model": "percentage",
            "percentage": "1.5",
            "available_from": "2025-01-01",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["percentage"] == "1.5000"
    assert response.json()["price_amount"] is None


def test_an_unknown_reference_code_is_refused(api, partner_b, admin_b):
    response = api(partner_b, admin_b).post(
        "/api/v1/services/", {**GRANT_HELP, "reference_code": "teleportation"}, format="json"
    )

    assert response.status_code == 400
    assert "teleportation" in response.json()["message"]


def test_a_name_in_the_partners_language_is_required(api, partner_b, admin_b):
    response = api(partner_b, admin_b).post(
        "/api/v1/services/", {**GRANT_HELP, "name": {"en": "Grant help"}}, format="json"
    )

    assert response.status_code == 400
    assert "sv" in response.json()["message"]


def test_availability_ending_before_it_starts_is_refused(api, partner_b, admin_b):
    response = api(partner_b, admin_b).post(
        "/api/v1/services/", {**GRANT_HELP, "available_until": "2024-12-31"}, format="json"
    )

    assert response.status_code == 400
    assert "available_until" in response.json()["extra"]["fields"]


def test_switching_to_free_drops_the_price(api, partner_b, admin_b, in_schema):
    client = api(partner_b, admin_b)
    created = client.post("/api/v1/services/", GRANT_HELP, format="json").json()

    response = client.patch(
        f"/api/v1/services/{created['id']}/", {"pricing_model": "free"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["price_amount"] is None
    assert response.json()["currency"] == ""


def test_a_member_reads_the_catalogue_but_cannot_write(api, partner_b, member_login, in_schema):
    user, _member, _activity = member_login(partner_b)
    with in_schema(partner_b):
        ServiceFactory(code="coworking_se", name_sv="Kontorsplats")
    client = api(partner_b, user)

    assert client.get("/api/v1/services/").json()["count"] == 1
    assert client.post("/api/v1/services/", GRANT_HELP, format="json").status_code == 403


def test_names_come_in_the_callers_language(api, partner_b, member_login, in_schema):
    user, _member, _activity = member_login(partner_b, language="fr")
    with in_schema(partner_b):
        service = ServiceFactory(name_en="Grant help", name_sv="Bidragshjälp", name_fr="Aide")

    body = api(partner_b, user).get(f"/api/v1/services/{service.pk}/").json()

    assert (body["name"], body["language"]) == ("Aide", "fr")


def test_names_fall_back_to_the_partners_default_language(api, partner_b, member_login, in_schema):
    user, _member, _activity = member_login(partner_b, language="de")
    with in_schema(partner_b):
        service = ServiceFactory(name_en="Grant help", name_sv="Bidragshjälp")

    body = api(partner_b, user).get(f"/api/v1/services/{service.pk}/").json()

    assert (body["name"], body["language"]) == ("Bidragshjälp", "sv")
    assert body["translations"]["name"] == {"en": "Grant help", "sv": "Bidragshjälp"}


def test_names_fall_back_to_english_last(api, partner_b, member_login, in_schema):
    user, _member, _activity = member_login(partner_b, language="de")
    with in_schema(partner_b):
        service = ServiceFactory(name_en="Grant help", name_sv="", description_en="Grants.")

    body = api(partner_b, user).get(f"/api/v1/services/{service.pk}/").json()

    assert (body["name"], body["language"], body["description"]) == (
        "Grant help",
        "en",
        "Grants.",
    )


def test_without_a_user_choice_the_partners_language_is_served(api, partner_b, admin_b, in_schema):
    with in_schema(partner_b):
        service = ServiceFactory(name_en="Grant help", name_sv="Bidragshjälp")

    body = api(partner_b, admin_b).get(f"/api/v1/services/{service.pk}/").json()

    assert body["name"] == "Bidragshjälp"


def test_updating_one_language_keeps_the_others(api, partner_b, make_user, in_schema):
    admin = make_user(partner_b, "admin", language="de")
    client = api(partner_b, admin)
    created = client.post("/api/v1/services/", GRANT_HELP, format="json").json()

    response = client.patch(
        f"/api/v1/services/{created['id']}/", {"name": {"de": "Förderhilfe"}}, format="json"
    )

    assert response.status_code == 200, response.json()
    with in_schema(partner_b):
        service = Service.objects.get(pk=created["id"])
        assert (service.name_de, service.name_sv, service.name_en) == (
            "Förderhilfe",
            "Bidragshjälp",
            "Grant help",
        )
        # The untranslated column mirrors the partner's language, whatever the caller's.
        assert service.__dict__["name"] == "Bidragshjälp"


def test_prices_with_more_decimals_than_the_currency_are_refused(api, partner_b, admin_b):
    response = api(partner_b, admin_b).post(
        "/api/v1/services/", {**GRANT_HELP, "price_amount": "450.005"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["message"] == "Högst 2 decimaler i SEK."


def test_service_fields_are_available_on_a_date(partner_b, in_schema):
    with in_schema(partner_b):
        ServiceFactory(code="old", available_until=dt.date(2024, 6, 30))
        ServiceFactory(code="current", price_amount=Decimal("10.00"))
        from services_catalog.local.selectors import service_list

        assert [s.code for s in service_list(on=dt.date(2025, 1, 1))] == ["current"]
