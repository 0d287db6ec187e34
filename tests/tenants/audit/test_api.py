"""The audit trail through the API: staff read it, members and other hosts don't."""

import pytest

from tenants.members.services import member_create


@pytest.fixture
def audited_member(partner_a, in_schema, make_user):
    admin = make_user(partner_a, "admin", username="auditor-admin")
    with in_schema(partner_a):
        return member_create(actor=admin, first_name="Ada", last_name="Audit")


@pytest.mark.parametrize("role", ["admin", "accountant", "advisor"])
def test_staff_read_who_created_a_member(audited_member, api, make_user, partner_a, role):
    client = api(partner_a, make_user(partner_a, role))
    response = client.get(
        "/api/v1/audit/", {"object_type": "members.member", "object_id": audited_member.pk}
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["action"] for r in rows] == ["member.create"]
    assert rows[0]["actor_username"] == "auditor-admin"


def test_members_cannot_read_the_audit_trail(audited_member, api, make_user, partner_a):
    assert api(partner_a, make_user(partner_a, "member")).get("/api/v1/audit/").status_code == 403


def test_another_partner_sees_none_of_it(audited_member, api, make_user, partner_b):
    response = api(partner_b, make_user(partner_b, "admin")).get("/api/v1/audit/")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_audit_trail_exports_as_csv(audited_member, api, make_user, partner_a):
    response = api(partner_a, make_user(partner_a, "accountant")).get(
        "/api/v1/audit/", {"format": "csv"}
    )
    assert response.status_code == 200
    assert b"member.create" in response.content
