"""The Django admin on both kinds of host shows only its own side's models."""

import re

import pytest
from django.utils import translation


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


def test_hq_admin_deletes_another_hq_user_through_the_admin(admin_client_for, make_user, db):
    # The collector used to follow User's reverse keys into partner-only tables, absent
    # from the public schema (ProgrammingError: relation "members_member" ...).
    from rest_framework.authtoken.models import Token

    from common.accounts.models import User
    from tests.conftest import schema_of

    client = admin_client_for(None, "hq_admin")
    other = make_user(None, "hq_analyst")
    with schema_of(None):
        Token.objects.create(user=other)

    page = client.get(f"/admin/accounts/user/{other.pk}/delete/")
    response = client.post(f"/admin/accounts/user/{other.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert response.status_code == 302
    with schema_of(None):
        assert not User.objects.filter(pk=other.pk).exists()
        assert not Token.objects.filter(user_id=other.pk).exists()


def test_hq_users_are_deleted_on_the_public_schema_by_queryset_and_instance(make_user, db):
    from common.accounts.models import User
    from tests.conftest import schema_of

    first, second = make_user(None, "hq_analyst"), make_user(None, "hq_analyst")
    with schema_of(None):
        deleted, _per_model = User.objects.filter(pk=first.pk).delete()
        second.delete()

        assert deleted == 1
        assert not User.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_partner_admin_deleting_a_partner_user_still_cascades(
    admin_client_for, make_user, partner_a
):
    from rest_framework.authtoken.models import Token

    from common.accounts.models import User
    from tenants.members.models import Member
    from tests.conftest import schema_of
    from tests.tenants.members.factories import MemberFactory

    client = admin_client_for(partner_a, "admin")
    advisor = make_user(partner_a, "advisor")
    linked = make_user(partner_a, "member")
    with schema_of(partner_a):
        Token.objects.create(user=advisor)
        MemberFactory(user=linked)

    deleted = client.post(f"/admin/accounts/user/{advisor.pk}/delete/", {"post": "yes"})
    protected = client.get(f"/admin/accounts/user/{linked.pk}/delete/")

    assert deleted.status_code == 302
    with schema_of(partner_a):
        assert not User.objects.filter(pk=advisor.pk).exists()
        assert not Token.objects.filter(user_id=advisor.pk).exists()  # cascaded
        assert User.objects.filter(pk=linked.pk).exists()
    assert protected.status_code == 200
    # The partner-side member row that protects its login is still found (alpha's
    # admin speaks German; its admin may not delete members).
    with translation.override("de"):
        member_name = str(Member._meta.verbose_name)
    assert re.search(rf'id="deleted-objects">\s*<li>{member_name}</li>', protected.content.decode())
