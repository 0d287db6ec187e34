"""Shared steps of the acceptance stories: everything goes through the HTTP API, as the
people who use Essaim would; a token is obtained from ``POST /api/v1/auth/token/``."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

PASSWORD = "a-long-test-password"


def host_of(partner) -> str:
    from django.conf import settings

    if partner is None:
        return settings.PLATFORM_DOMAIN
    slug = partner if isinstance(partner, str) else partner.slug
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def login(partner, username: str, password: str = PASSWORD) -> APIClient:
    """An APIClient on ``partner``'s host (the federation's for None), authenticated with
    the token the API hands out for ``username``/``password``."""
    client = APIClient(HTTP_HOST=host_of(partner))
    response = client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, (response.status_code, response.content)
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def ok(response, status: int = 200):
    """The JSON body of ``response``, after checking its status (the body is shown when
    the status differs, so that a failing step says what the API answered)."""
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return response.json()


@pytest.fixture
def staff_login(make_user):
    """``staff_login(partner, role, **extra)`` → (user, client logged in through the API)."""

    def make(partner, role, **extra):
        user = make_user(partner, role, **extra)
        return user, login(partner, user.username)

    return make
