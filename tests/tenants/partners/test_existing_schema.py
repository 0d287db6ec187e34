"""Creating a partner whose schema already exists in the database (no partner has the
slug, but a schema of its name is there, e.g. left by a restore): a clear refusal that
names the slug, over the federation API (409) and from ``manage.py create_partner`` (one
line), leaving nothing behind and the schema untouched."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenants.partners.models import Domain, Partner, PartnerEvent


@pytest.fixture
def orphan_schema(db):
    """A schema ``orphan_coop`` holding one table of its own, with no partner."""
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "orphan_coop"')
        cursor.execute('CREATE TABLE "orphan_coop".kept (id int)')
    return "orphan_coop"


def _left_behind() -> tuple[int, int, int]:
    return (
        Partner.objects.filter(slug="orphan-coop").count(),
        Domain.objects.filter(domain__startswith="orphan-coop.").count(),
        PartnerEvent.objects.filter(partner__slug="orphan-coop").count(),
    )


def _tables(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_api_refuses_a_slug_whose_schema_exists(orphan_schema, api, make_user):
    client = api(None, make_user(None, "hq_admin"))

    response = client.post(
        "/api/v1/partners/",
        {"slug": "orphan-coop", "name": "Orphan", "country": "DE", "tier": "open_smart"},
        format="json",
    )

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "partner_schema_exists"
    assert "'orphan-coop'" in body["message"]
    assert list(body["extra"]["fields"]) == ["slug"]
    assert _left_behind() == (0, 0, 0)
    assert _tables(orphan_schema) == ["kept"]


def test_create_partner_refuses_a_slug_whose_schema_exists_in_one_line(orphan_schema):
    with pytest.raises(CommandError) as caught:
        call_command(
            "create_partner", "orphan-coop", name="Orphan", country="DE", tier="open_smart"
        )

    message = str(caught.value)
    assert "\n" not in message
    assert "'orphan-coop'" in message
    assert "slug:" in message
    assert _left_behind() == (0, 0, 0)
    assert _tables(orphan_schema) == ["kept"]


def test_create_partner_refuses_a_founding_date_that_is_not_yyyy_mm_dd(db):
    with pytest.raises(CommandError):
        call_command(
            "create_partner",
            "new-coop",
            "--founded=20250301",
            name="New",
            country="DE",
            tier="open_smart",
        )
    assert not Partner.objects.filter(slug="new-coop").exists()


@pytest.mark.parametrize(("field", "value"), [("name", "Coop\x0b"), ("legal_form", "SCRL\u202e")])
def test_partner_text_follows_the_text_rule(db, field, value):
    from tenants.partners.exceptions import PartnerInvalid
    from tests.helpers import make_partner

    with pytest.raises(PartnerInvalid) as caught:
        make_partner("texty", **{field: value})

    assert field in caught.value.extra["fields"]
    assert not Partner.objects.filter(slug="texty").exists()
