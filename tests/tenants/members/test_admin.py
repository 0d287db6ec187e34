"""The admin of a partner's host lists members, activities, ledgers, audit, expenses and the
fund; member and activity forms validate through the services."""

from __future__ import annotations

import pytest

from tenants.members.models import Member
from tests.tenants.members.factories import ActivityFactory, post


@pytest.fixture
def admin_client(partner_a, make_user, api, in_schema):
    client = api(partner_a)
    user = make_user(partner_a, "admin")
    with in_schema(partner_a):
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/members/member/",
        "/admin/members/member/add/",
        "/admin/members/activity/",
        "/admin/members/ledgerentry/",
        "/admin/audit/auditentry/",
        "/admin/expenses/expense/",
        "/admin/payroll/fundmovement/",
        "/admin/partner_settings/partnersettings/1/change/",
        "/admin/partner_settings/feerate/",
    ],
)
def test_admin_pages_open_for_a_partner_admin(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_an_activity_page_shows_its_ledger(admin_client, partner_a, in_schema):
    with in_schema(partner_a):
        activity = ActivityFactory()
        post(activity, "12.34")
    response = admin_client.get(f"/admin/members/activity/{activity.pk}/change/")
    assert response.status_code == 200
    assert b"12.34" in response.content


def test_the_admin_refuses_an_invalid_iban_on_the_form(admin_client, partner_a, in_schema):
    response = admin_client.post(
        "/admin/members/member/add/",
        {"first_name": "A", "last_name": "B", "iban": "DE00 0000", "national_id": ""},
    )
    assert response.status_code == 200
    # The admin speaks the partner's language (German for partner_a).
    assert "Keine gültige IBAN".encode() in response.content
    with in_schema(partner_a):
        assert not Member.objects.exists()


def test_the_admin_creates_a_member_through_the_service(admin_client, partner_a, in_schema):
    response = admin_client.post(
        "/admin/members/member/add/",
        {"first_name": "Ada", "last_name": "B", "iban": "DE89 3704 0044 0532 0130 00"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with in_schema(partner_a):
        member = Member.objects.get()
        assert member.iban == "DE89370400440532013000"
        assert member.status_changes.count() == 1


def test_the_admin_refuses_an_implausible_birth_date(admin_client, partner_a, in_schema):
    # The API refuses a birth date 150 years back; the admin form must refuse it as well.
    response = admin_client.post(
        "/admin/members/member/add/",
        {"first_name": "A", "last_name": "B", "birth_date": "1870-05-01", "national_id": ""},
    )

    assert response.status_code == 200
    assert b"errorlist" in response.content
    with in_schema(partner_a):
        assert not Member.objects.exists()
