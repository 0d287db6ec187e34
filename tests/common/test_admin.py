"""The Django admin on both kinds of host shows only its own side's models."""

import pytest


@pytest.fixture
def admin_client_for(client, make_user):
    def login(partner, role):
        from tests.conftest import host_of, schema_of

        user = make_user(partner, role)
        with schema_of(partner):
            client.force_login(user)
        client.defaults["HTTP_HOST"] = host_of(partner)
        return client

    return login


def test_federation_admin_lists_partners(admin_client_for, partner_a):
    client = admin_client_for(None, "hq_admin")
    response = client.get("/admin/partners/partner/")
    assert response.status_code == 200
    assert b"alpha" in response.content


def test_partner_admin_cannot_reach_the_partner_registry(admin_client_for, partner_a):
    client = admin_client_for(partner_a, "admin")
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/partners/partner/")
    assert response.status_code == 403
    assert b"beta" not in response.content


def test_partner_admin_is_translated_to_the_partners_language(admin_client_for, partner_a):
    client = admin_client_for(partner_a, "admin")
    response = client.get("/admin/")
    assert response["Content-Language"] == "de"
    assert "<title>Website-Verwaltung | Essaim</title>" in response.content.decode()


def test_partner_session_is_not_valid_on_another_partner(admin_client_for, partner_a, partner_b):
    from tests.conftest import host_of

    client = admin_client_for(partner_a, "admin")
    response = client.get("/admin/", HTTP_HOST=host_of(partner_b))
    assert response.status_code == 302  # to the login page of beta's admin


def test_admin_creates_a_partner_through_the_lifecycle(admin_client_for, db):
    from django_tenants.utils import schema_exists

    from tenants.partners.models import PartnerEvent

    client = admin_client_for(None, "hq_admin")
    response = client.post(
        "/admin/partners/partner/add/",
        {
            "slug": "kr",
            "name": "Korea Initiative",
            "country": "KR",
            "tier": "academy",
            "currency": "",
            "default_locale": "",
            "founded_on": "",
            "legal_form": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert schema_exists("kr")
    assert PartnerEvent.objects.filter(partner__slug="kr", kind="created").exists()
