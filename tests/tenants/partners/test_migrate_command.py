"""`migrate` brings every partner schema up to date, sequentially and with helper
processes (`--jobs`), which take schemas from one shared queue."""

from __future__ import annotations

import io
import re
import threading
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.committed, pytest.mark.slow]


@pytest.fixture
def empty_partners(django_db_setup, django_db_blocker):
    """``empty_partners(n)`` → schema names of ``n`` committed partners whose schemas
    exist but are empty (as if created before any migration); dropped afterwards."""
    from tenants.partners.models import Domain, Partner

    created: list[Partner] = []

    def make(count: int) -> list[str]:
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            for _ in range(count):
                slug = f"m{uuid.uuid4().hex[:10]}"
                partner = Partner.objects.create(
                    schema_name=slug,
                    slug=slug,
                    name=slug,
                    country="BE",
                    tier="open_smart",
                    currency="EUR",
                )
                Domain.objects.create(domain=f"{slug}.{settings.PLATFORM_DOMAIN}", tenant=partner)
                with connection.cursor() as cursor:
                    cursor.execute(f'CREATE SCHEMA "{slug}"')
                created.append(partner)
        return [p.schema_name for p in created[-count:]]

    yield make
    from tests.helpers import destroy_partner

    with django_db_blocker.unblock():
        for partner in created:
            destroy_partner(partner)


def _migration_records(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return set(cursor.fetchall())


def _run_migrate(django_db_blocker, jobs: int) -> str:
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("migrate", interactive=False, jobs=jobs, verbosity=1, stdout=out)
        connection.set_schema_to_public()
    return out.getvalue()


@pytest.mark.parametrize("jobs", [1, 2])
def test_migrate_brings_empty_partner_schemas_to_the_template_state(
    django_db_blocker, empty_partners, jobs
):
    # given three partners whose schemas hold nothing yet
    schemas = empty_partners(3)

    # when migrate runs, sequentially or with a helper process
    output = _run_migrate(django_db_blocker, jobs)

    # then every schema records exactly the template's migrations
    with django_db_blocker.unblock():
        expected = _migration_records(settings.TENANT_TEMPLATE_SCHEMA)
        assert expected
        for schema in schemas:
            assert _migration_records(schema) == expected
    assert f"with {jobs} process(es)" in output
    # and it said how far it was, ending on every partner schema
    with django_db_blocker.unblock():
        from tenants.partners.models import Partner

        total = Partner.objects.count()
    assert f"Migrating {total} partner schemas with {jobs} process(es)...\n" in output
    assert re.search(
        rf"^Partner schemas: {total}/{total} migrated, [0-9.]+s elapsed\.$", output, re.M
    )


def test_migrate_with_jobs_reports_a_schema_that_fails(django_db_blocker, empty_partners):
    from django.core.management.base import CommandError

    # given partners, one of which has a table in the way of its first migration
    schemas = empty_partners(3)
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{schemas[1]}".django_content_type (x int)')

    # when migrate runs with a helper process, then it fails naming that schema
    with pytest.raises(CommandError, match=schemas[1]):
        _run_migrate(django_db_blocker, jobs=2)

    # and the other schemas were migrated all the same
    with django_db_blocker.unblock():
        expected = _migration_records(settings.TENANT_TEMPLATE_SCHEMA)
        for schema in (schemas[0], schemas[2]):
            assert _migration_records(schema) == expected


def test_migrate_reports_progress_about_twenty_times_with_the_time_left():
    from tenants.partners.management.commands.migrate import _Progress

    out = io.StringIO()
    progress = _Progress(out, total=200, enabled=True, lock=threading.Lock())
    for _ in range(200):
        progress.one_done()
    lines = out.getvalue().splitlines()
    assert len(lines) == 20
    assert re.fullmatch(
        r"Partner schemas: 10/200 migrated, [0-9.]+s elapsed, about \d+s left\.", lines[0]
    )
    assert re.fullmatch(r"Partner schemas: 200/200 migrated, [0-9.]+s elapsed\.", lines[-1])


def test_migrate_reports_no_progress_below_verbosity_one():
    from tenants.partners.management.commands.migrate import _Progress

    out = io.StringIO()
    progress = _Progress(out, total=3, enabled=False, lock=threading.Lock())
    for _ in range(3):
        progress.one_done()
    assert out.getvalue() == ""
