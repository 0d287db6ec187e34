"""seed_demo builds the demo federation through the services, and a rerun changes nothing."""

import io

from django.core.management import call_command
from django_tenants.utils import tenant_context


def _counts(partner):
    from services_catalog.local.models import Subscription
    from tenants.invoicing.models import Invoice
    from tenants.members.models import LedgerEntry, Member

    with tenant_context(partner):
        return (
            Member.objects.count(),
            Invoice.objects.count(),
            LedgerEntry.objects.count(),
            Subscription.objects.count(),
        )


def test_seed_demo_builds_partners_with_history_and_is_safe_to_rerun(db):
    from services_catalog.reference.models import CoverageSnapshot
    from tenants.partners.models import Partner

    out = io.StringIO()
    call_command("seed_demo", "--years", "1", "--only", "se", stdout=out)

    slugs = set(Partner.objects.values_list("slug", flat=True))
    assert {"be", "fr", "de", "it", "es", "at", "se", "philadelphia", "chile"} <= slugs
    assert Partner.objects.get(slug="philadelphia").tier == "academy"
    sweden = Partner.objects.get(slug="se")
    assert sweden.currency == "SEK"
    first = _counts(sweden)
    members, invoices, entries, subscriptions = first
    assert members == 8
    assert invoices > 10
    assert entries > invoices  # payments credit turnover and take fees
    assert subscriptions >= 1  # grant help, priced in SEK
    assert CoverageSnapshot.objects.filter(partner=sweden).exists()

    call_command("seed_demo", "--years", "1", "--only", "se", stdout=io.StringIO())
    assert _counts(sweden) == first
    assert "left alone" not in out.getvalue()
