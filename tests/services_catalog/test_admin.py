"""Django admin of both catalogues: one input per language, and the services' checks."""

import re

from django.test import Client

from services_catalog.local.models import Service
from tests.conftest import host_of, schema_of


def _admin_client(partner, user):
    client = Client(HTTP_HOST=host_of(partner))
    with schema_of(partner):
        client.force_login(user)
    return client


def test_reference_admin_shows_one_name_input_per_language(hq_admin):
    client = _admin_client(None, hq_admin)

    response = client.get("/admin/catalog_reference/referenceservice/add/")

    assert response.status_code == 200
    page = response.content.decode()
    for language in ("en", "fr", "nl", "de", "it", "es", "sv"):
        assert f'name="name_{language}"' in page


def test_local_admin_refuses_a_negative_price(partner_b, admin_b, in_schema):
    client = _admin_client(partner_b, admin_b)
    assert client.get("/admin/catalog_local/service/add/").status_code == 200

    response = client.post(
        "/admin/catalog_local/service/add/",
        {
            "code": "grant_help_se",
            "reference_code": "grant_help",
            "name_sv": "Bidragshjälp",
            "pricing_model": "flat_monthly",
            "price_amount": "-5",
            "available_from": "2025-01-01",
        },
    )

    assert response.status_code == 200  # the form again, with the error
    # The admin reads Swedish (the partner's language).
    assert "Ett pris kan inte vara negativt." in response.content.decode()
    with in_schema(partner_b):
        assert not Service.objects.exists()


def test_local_admin_saves_a_service_in_the_partners_currency(partner_b, admin_b, in_schema):
    client = _admin_client(partner_b, admin_b)

    response = client.post(
        "/admin/catalog_local/service/add/",
        {
            "code": "grant_help_se",
            "reference_code": "grant_help",
            "name_sv": "Bidragshjälp",
            "pricing_model": "flat_monthly",
            "price_amount": "450",
            "available_from": "2025-01-01",
        },
    )

    assert response.status_code == 302, re.findall(
        r"errorlist[^<]*<li>([^<]*)", response.content.decode()
    )
    with in_schema(partner_b):
        service = Service.objects.get(code="grant_help_se")
        assert (service.currency, service.__dict__["name"]) == ("SEK", "Bidragshjälp")
