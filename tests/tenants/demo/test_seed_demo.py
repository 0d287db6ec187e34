"""seed_demo builds the demo federation through the services, and a rerun changes nothing."""

import io
import re

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

    rerun = io.StringIO()
    call_command("seed_demo", "--years", "1", "--only", "se", stdout=rerun)
    assert _counts(sweden) == first
    assert "left alone" not in out.getvalue()
    assert "  se: activity already present, left alone\n" in rerun.getvalue()
    assert re.search(
        r"^  se: already there, 0 staff users added \([0-9.]+s\)$", rerun.getvalue(), re.M
    )


def test_seed_demo_says_what_it_does_per_partner_with_timings(db):
    out = io.StringIO()
    call_command("seed_demo", "--years", "1", "--only", "se", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo partners:"
    assert re.search(r"^  se: created, 3 staff users added \([0-9.]+s\)$", out.getvalue(), re.M)
    assert "Activity (1 years):" in lines
    generating = lines.index("  se: generating 1 years of activity...")
    assert re.fullmatch(r"  se: 8 members; issuing \d+ invoices", lines[generating + 1])
    assert re.fullmatch(
        r"  se: 8 members, \d+ invoices, .* subscriptions \([0-9.]+s\)", lines[generating + 2]
    )
    assert re.fullmatch(r"Demo federation ready in [0-9.]+s\.", lines[-1])
