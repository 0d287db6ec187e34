"""Helpers shared by tests and benchmarks (not fixtures)."""

from __future__ import annotations

import functools
from pathlib import Path

from django.db import connection

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def make_partner(slug, *, country="DE", tier="open_smart", name=None, **fields):
    from tenants.partners.services import partner_create

    return partner_create(
        slug=slug, name=name or slug.title(), country=country, tier=tier, **fields
    )


def destroy_partner(partner) -> None:
    """Remove a test partner entirely: schema, host, history, registry row. Tests only;
    the product never deletes a partner (archive keeps everything)."""
    from tenants.partners.models import Domain, Partner, PartnerEvent
    from tenants.partners.routing import routing_cache_clear

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{partner.schema_name}" CASCADE')
    PartnerEvent.objects.filter(partner_id=partner.pk).delete()
    Domain.objects.filter(tenant_id=partner.pk).delete()
    Partner.objects.filter(pk=partner.pk).delete()
    routing_cache_clear()


@functools.cache
def _catalogue(language: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if isinstance(m.id, str) and m.id}


def translated(language: str, msgid: str) -> str:
    """``msgid``'s translation in ``language`` as the repository's catalogue has it (read
    from the .po file, not through gettext), for tests that check an answer is the right
    translation, not merely some text other than the English one. Fails when the
    catalogue has no translation of it."""
    text = _catalogue(language).get(msgid)
    assert text, f"{msgid!r} has no {language} translation in locale/"
    return text
