"""Every endpoint of both kinds of host, swept with the wrong credentials: anonymous,
another partner's token, headquarters' token on a partner host and a partner's token on
the federation host all answer 401 (never 200, 403, 404 or 500), whatever the method."""

import re

import pytest

from tests.conftest import host_of

PUBLIC = {"/api/v1/auth/token/", "/api/schema/", "/api/docs/"}
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def _operations(host):
    from rest_framework.test import APIClient

    schema = APIClient(HTTP_HOST=host).get("/api/schema/", {"format": "json"}).json()
    for path, operations in sorted(schema["paths"].items()):
        if path in PUBLIC:
            continue
        concrete = re.sub(r"\{(slug|code)\}", "alpha", path)
        concrete = re.sub(r"\{[a-z_]+\}", "1", concrete)
        for method in METHODS:
            yield method, concrete, method in operations


def _assert_401_everywhere(client):
    wrong, checked = [], 0
    for method, path, _documented in _operations(client.defaults["HTTP_HOST"]):
        if method in ("get", "head", "options"):
            response = getattr(client, method)(path)
        else:
            response = getattr(client, method)(path, {}, format="json")
        checked += 1
        if response.status_code != 401:
            wrong.append((method, path, response.status_code))
    assert checked > 50, "the schema listed too few endpoints to sweep"
    assert wrong == []


def _token_client(api, token_partner, user, host_partner):
    client = api(token_partner, user)
    client.defaults["HTTP_HOST"] = host_of(host_partner)
    return client


def test_anonymous_callers_get_401_on_every_partner_endpoint(api, partner_a):
    _assert_401_everywhere(api(partner_a))


def test_anonymous_callers_get_401_on_every_federation_endpoint(db, api):
    _assert_401_everywhere(api(None))


@pytest.mark.parametrize("role", ["admin", "member"])
def test_another_partners_token_gets_401_on_every_partner_endpoint(
    api, partner_a, partner_b, make_user, role
):
    _assert_401_everywhere(_token_client(api, partner_b, make_user(partner_b, role), partner_a))


@pytest.mark.parametrize("role", ["hq_admin", "hq_analyst"])
def test_a_headquarters_token_gets_401_on_every_partner_endpoint(api, partner_a, make_user, role):
    _assert_401_everywhere(_token_client(api, None, make_user(None, role), partner_a))


@pytest.mark.parametrize("role", ["admin", "accountant"])
def test_a_partner_token_gets_401_on_every_federation_endpoint(api, partner_a, make_user, role):
    _assert_401_everywhere(_token_client(api, partner_a, make_user(partner_a, role), None))
