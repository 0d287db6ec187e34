"""Demo partners and users (idempotent: rerunning creates only what is missing)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from common.accounts.models import User
from common.accounts.services import user_create
from tenants.demo.charter import seed_charter
from tenants.partners.models import Partner
from tenants.partners.services import partner_create

DEMO_PASSWORD = "essaim-demo"


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    country: str
    tier: str
    founded_on: dt.date
    legal_form: str
    locale: str | None = None


DEMO_PARTNERS = [
    DemoPartner(
        "be",
        "Smart Belgique / België",
        "BE",
        "european_group",
        dt.date(2019, 1, 1),
        "Société coopérative (SC)",
    ),
    DemoPartner(
        "fr",
        "Smart France",
        "FR",
        "european_group",
        dt.date(2019, 1, 1),
        "SCIC SA à capital variable",
    ),
    DemoPartner(
        "de",
        "Smart Deutschland eG",
        "DE",
        "social_franchise",
        dt.date(2019, 6, 1),
        "eingetragene Genossenschaft (eG)",
    ),
    DemoPartner(
        "it", "Smart Italia", "IT", "social_franchise", dt.date(2020, 3, 1), "Società cooperativa"
    ),
    DemoPartner(
        "es", "Smart Ibérica", "ES", "social_franchise", dt.date(2020, 1, 1), "Sociedad cooperativa"
    ),
    DemoPartner("at", "Smart Austria", "AT", "open_smart", dt.date(2021, 1, 1), "Genossenschaft"),
    DemoPartner(
        "se", "Smart Sverige", "SE", "open_smart", dt.date(2021, 9, 1), "Ekonomisk förening"
    ),
    DemoPartner(
        "philadelphia",
        "Philadelphia Worker Cooperative",
        "US",
        "academy",
        dt.date(2023, 5, 1),
        "Worker cooperative (LLC)",
    ),
    DemoPartner(
        "chile",
        "Iniciativa Cooperativa Chile",
        "CL",
        "academy",
        dt.date(2024, 4, 1),
        "Cooperativa de trabajo",
    ),
]

PARTNER_ROLES = ["admin", "advisor", "accountant"]


def _ensure_user(username: str, role: str, **fields) -> bool:
    if User.objects.filter(username=username).exists():
        return False
    user_create(
        username=username, role=role, password=DEMO_PASSWORD, check_password=False, **fields
    )
    return True


def seed_federation(out) -> list[Partner]:
    """Create the demo partners and their staff users; print the logins to ``out``."""
    connection.set_schema_to_public()
    _ensure_user("hq-admin", "hq_admin", first_name="Héloïse", last_name="Martin")
    _ensure_user("hq-analyst", "hq_analyst", first_name="Jonas", last_name="Peeters")
    out.write("Demo partners:\n")
    partners = []
    for demo in DEMO_PARTNERS:
        started = time.monotonic()
        partner = Partner.objects.filter(slug=demo.slug).first()
        created = partner is None
        if partner is None:
            partner = partner_create(
                slug=demo.slug,
                name=demo.name,
                country=demo.country,
                tier=demo.tier,
                founded_on=demo.founded_on,
                legal_form=demo.legal_form,
                default_locale=demo.locale,
                recorded_by="seed_demo",
            )
        partners.append(partner)
        connection.set_tenant(partner)
        try:
            users = sum(_ensure_user(f"{demo.slug}-{role}", role) for role in PARTNER_ROLES)
            if created:
                seed_charter(partner, today=timezone.localdate())
        finally:
            connection.set_schema_to_public()
        out.write(
            f"  {demo.slug}: {'created' if created else 'already there'}, {users} staff "
            f"users added ({time.monotonic() - started:.1f}s)\n"
        )
        out.flush()
    out.write("Demo logins (password: essaim-demo)\n")
    from django.conf import settings

    out.write(f"  {settings.PLATFORM_DOMAIN} (federation): hq-admin, hq-analyst\n")
    for demo in DEMO_PARTNERS:
        names = ", ".join(f"{demo.slug}-{role}" for role in [*PARTNER_ROLES, "member"])
        out.write(
            f"  {demo.slug}.{settings.PLATFORM_DOMAIN} ({demo.country}, {demo.tier}): {names}\n"
        )
    return partners
