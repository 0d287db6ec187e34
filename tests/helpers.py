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


def meet_charter(partner, tier: str, on=None) -> None:
    """Make ``partner`` meet ``tier``'s charter on ``on`` (default today), as its own staff
    would: offer each core service of the tier (from the partner's founding) and file a
    report for each ended year since its founding. Tests only."""
    import datetime as dt

    from django.utils import timezone

    from services_catalog.local.services import service_create
    from services_catalog.reference.selectors import core_codes
    from shared.charter.services import annual_report_file

    on = on or timezone.localdate()
    since = partner.founded_on or dt.date(2020, 1, 1)
    previous = connection.tenant
    connection.set_tenant(partner)
    try:
        from services_catalog.local.models import Service

        for code in core_codes(tier=tier, on=on):
            if not Service.objects.filter(reference_code=code).exists():
                service_create(
                    actor=None,
                    code=f"core_{code}",
                    reference_code=code,
                    name={partner.language: code, "en": code},
                    pricing_model="free",
                    available_from=since,
                )
        from shared.charter.models import AnnualReport

        for year in range(since.year, timezone.localdate().year):
            if not AnnualReport.objects.filter(partner=partner, year=year).exists():
                annual_report_file(
                    partner=partner,
                    actor=None,
                    year=year,
                    figures={
                        "operating_result": "1000",
                        "equity": "5000",
                        "staff_fte": "2.00",
                        "hq_capital": "0",
                        "hq_current_account": "0",
                        "hq_voting_share": "0.1000",
                    },
                )
    finally:
        connection.set_tenant(previous)
