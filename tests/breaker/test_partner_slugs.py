"""Partner creation over the federation API: a slug whose schema PostgreSQL reserves, or
whose host is not a valid DNS label, is refused with a 400 and creates nothing."""

import pytest
from django.db import connection

from tenants.partners.models import Domain, Partner


def _post(api, make_user, slug):
    client = api(None, make_user(None, "hq_admin"))
    return client.post(
        "/api/v1/partners/",
        {"slug": slug, "name": "Brand New", "country": "DE", "tier": "open_smart"},
        format="json",
    )


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize(
    "slug", ["pg-x", "pg-catalog", "pg-toast", "pg-temp-1", "information-schema"]
)
def test_a_slug_whose_schema_postgresql_reserves_is_refused(db, api, make_user, slug):
    schemas_before = _schemas()

    response = _post(api, make_user, slug)

    assert response.status_code == 400, response.content
    assert "slug" in response.json()["extra"]["fields"]
    assert not Partner.objects.filter(slug=slug).exists()
    assert not Domain.objects.filter(domain__startswith=f"{slug}.").exists()
    assert _schemas() == schemas_before


@pytest.mark.parametrize("slug", ["alpha-", "ab--", "x-"])
def test_a_slug_ending_with_a_hyphen_is_refused(db, api, make_user, slug):
    # "alpha-.localhost" is not a valid host name (a DNS label cannot end with "-").
    response = _post(api, make_user, slug)

    assert response.status_code == 400, response.content
    assert "slug" in response.json()["extra"]["fields"]
    assert not Partner.objects.filter(slug=slug).exists()
