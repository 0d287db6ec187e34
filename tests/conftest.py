"""Test setup: migrate once per session (public + template), create two partners once,
and keep each test isolated in a transaction that is rolled back.

``TenantTestCase`` re-migrates a schema for every test class; here schemas are created
once per session by replaying the template, and tests roll back.
"""

from __future__ import annotations

import contextlib
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.helpers import destroy_partner, make_partner


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_keepdb,
    django_db_modify_db_settings,
):
    """Create the test database (always: tests that commit use no ``db`` marker), migrate
    it once (public + template), then create the session's partners (committed)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            keepdb=django_db_keepdb,
            aliases={"default"},
            serialized_aliases=set(),
        )
        make_partner("alpha", country="DE", tier="european_group", name="Alpha eG")
        make_partner("beta", country="SE", tier="social_franchise", name="Beta ek. för.")
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture
def partner_a(db):
    from tenants.partners.models import Partner

    return Partner.objects.get(slug="alpha")


@pytest.fixture
def partner_b(db):
    from tenants.partners.models import Partner

    return Partner.objects.get(slug="beta")


@contextlib.contextmanager
def schema_of(partner):
    """Run the block in ``partner``'s schema (public when ``partner`` is None)."""
    previous = connection.tenant
    if partner is None:
        connection.set_schema_to_public()
    else:
        connection.set_tenant(partner)
    try:
        yield
    finally:
        connection.set_tenant(previous)


@pytest.fixture
def in_schema():
    return schema_of


def host_of(partner) -> str:
    from django.conf import settings

    return (
        settings.PLATFORM_DOMAIN
        if partner is None
        else f"{partner.slug}.{settings.PLATFORM_DOMAIN}"
    )


@pytest.fixture
def make_user():
    """``make_user(partner_or_None, role, username=None)`` → user in that schema."""
    from common.accounts.services import user_create

    def make(partner, role, username=None, **extra):
        with schema_of(partner):
            return user_create(
                username=username or f"{role}-{uuid.uuid4().hex[:8]}",
                role=role,
                password="a-long-test-password",
                check_password=False,
                **extra,
            )

    return make


@pytest.fixture
def api():
    """``api(partner_or_None, user=None)`` → an APIClient on that host, with the user's
    token if given."""
    from rest_framework.authtoken.models import Token

    def client_for(partner, user=None):
        client = APIClient(HTTP_HOST=host_of(partner))
        if user is not None:
            with schema_of(partner):
                token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def committed_partner(django_db_setup, django_db_blocker):
    """``committed_partner(slug, **fields)`` → a partner created outside any test
    transaction (for tests that need real commits: threads, a Celery worker); dropped with
    its schema after the test."""
    created = []

    def create(slug=None, **fields):
        with django_db_blocker.unblock():
            partner = make_partner(slug or f"t{uuid.uuid4().hex[:10]}", **fields)
        created.append(partner)
        return partner

    yield create
    with django_db_blocker.unblock():
        for partner in created:
            destroy_partner(partner)


def _start_embedded_database_when_unset() -> None:
    """The tests' entry point into the embedded PostgreSQL: with no ``DATABASE_URL`` (a bare
    ``pytest``; ``dev.py test`` sets it), start or join the server and point the settings,
    already read by pytest-django but not yet connected, at it. pytest-xdist's workers,
    started later, inherit ``DATABASE_URL``."""
    import os

    if os.environ.get("DATABASE_URL"):
        return
    import dj_database_url
    from django.conf import settings

    from config.embedded_pg import ensure_database_url

    parsed = dj_database_url.parse(ensure_database_url())
    settings.DATABASES["default"].update(
        {key: parsed.get(key, "") for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        OPTIONS=parsed.get("OPTIONS", {}),
    )


def pytest_configure(config):
    """Start the embedded PostgreSQL when no DATABASE_URL is set, and compile the translation
    catalogues with Babel when a .po is newer than its .mo (dev.py does it at install; this
    keeps a bare `pytest` run in the right languages too)."""
    from pathlib import Path

    _start_embedded_database_when_unset()

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in Path(__file__).resolve().parents[1].glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)
