"""Helpers shared by tests and benchmarks (not fixtures)."""

from __future__ import annotations

from django.db import connection


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
