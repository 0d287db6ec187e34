"""Isolation, swept over every GET endpoint of the OpenAPI schema: a member's personal data
entered at partner A appears in no answer of the federation host (headquarters sees
numbers, not people) nor of partner B's host, whatever the role."""

import re

import pytest

SECRET_FIRST = "Zyxwvutsrq"
SECRET_LAST = "Ploufmagnet"
SECRET_EMAIL = "zyxwv.ploufmagnet@example.org"


def _get_paths(client) -> list[str]:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = []
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path or "schema" in path:
            continue
        paths.append(path)
    return sorted(paths)


@pytest.fixture
def secret_member(partner_a, in_schema, make_user):
    from tenants.members.services import activity_create, member_create

    admin = make_user(partner_a, "admin")
    with in_schema(partner_a):
        member = member_create(
            actor=admin, first_name=SECRET_FIRST, last_name=SECRET_LAST, email=SECRET_EMAIL
        )
        activity_create(member=member, actor=admin, name=f"{SECRET_LAST} Studio", sector="62.01")
    return member


def _assert_clean(client, paths):
    assert paths, "no endpoint found to sweep"
    leaks = []
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        body = response.content.decode(errors="replace")
        if re.search(f"{SECRET_FIRST}|{SECRET_LAST}|{re.escape(SECRET_EMAIL)}", body):
            leaks.append(path)
    assert leaks == []


@pytest.mark.parametrize("role", ["hq_admin", "hq_analyst"])
def test_federation_endpoints_never_show_a_members_data(secret_member, api, make_user, role):
    client = api(None, make_user(None, role))
    _assert_clean(client, _get_paths(client))


@pytest.mark.parametrize("role", ["admin", "advisor", "accountant", "member"])
def test_another_partners_endpoints_never_show_a_members_data(
    secret_member, api, make_user, partner_b, role
):
    client = api(partner_b, make_user(partner_b, role))
    _assert_clean(client, _get_paths(client))


def test_the_partners_own_staff_does_see_the_member(secret_member, api, make_user, partner_a):
    # The sweep above would pass vacuously if the member were invisible everywhere.
    client = api(partner_a, make_user(partner_a, "advisor"))
    assert SECRET_LAST in client.get("/api/v1/members/").content.decode()


def test_each_host_documents_its_own_api(api, make_user, partner_a):
    federation = _get_paths(api(None))
    partner = _get_paths(api(partner_a))
    assert "/api/v1/partners/" in federation
    assert "/api/v1/partners/" not in partner
    assert "/api/v1/members/" in partner
    assert "/api/v1/members/" not in federation
