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
    assert "Activity (last 1 years):" in lines
    generating = next(i for i, line in enumerate(lines) if line.startswith("  se: generating"))
    assert re.fullmatch(
        r"  se: generating activity from \d{4}-\d\d \(1[23] months\)\.\.\.", lines[generating]
    )
    assert re.fullmatch(r"  se: 8 members; issuing \d+ invoices", lines[generating + 1])
    assert re.fullmatch(
        r"  se: 8 members, \d+ invoices, .* subscriptions \([0-9.]+s\)", lines[generating + 2]
    )
    assert re.fullmatch(r"Demo federation ready in [0-9.]+s\.", lines[-1])


def test_by_default_the_history_reaches_back_to_the_partners_founding(db):
    """Curves aligned on a partner's year of life need its first years: the history starts
    in the founding month, members join over the years and some leave."""
    from tenants.invoicing.models import Invoice
    from tenants.members.models import MemberStatusChange
    from tenants.partners.models import Partner

    call_command("seed_demo", "--only", "at", stdout=io.StringIO())

    austria = Partner.objects.get(slug="at")
    with tenant_context(austria):
        first_invoice = Invoice.objects.exclude(number=None).order_by("issue_date").first()
        joins = sorted(
            MemberStatusChange.objects.filter(to_status="active").values_list(
                "effective_on", flat=True
            )
        )
        leaving = MemberStatusChange.objects.filter(to_status="inactive").count()
    assert first_invoice.issue_date.year == austria.founded_on.year
    assert joins[0] < austria.founded_on.replace(year=austria.founded_on.year + 1)
    assert (joins[-1] - joins[0]).days > 2 * 365
    assert leaving >= 1
