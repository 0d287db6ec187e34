import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Build the demo federation: partners BE, FR, DE, IT, ES, AT, SE in their tiers, "
        "Academy tenants (Philadelphia, Chile), users for every role and each partner's "
        "generated activity since its founding. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="Generate only the last YEARS of activity (default: since each partner's "
            "founding, at most 10 years).",
        )
        parser.add_argument("--seed", type=int, default=1998, help="Random seed.")
        parser.add_argument(
            "--only", default="", help="Comma-separated partner slugs to generate activity for."
        )

    def handle(self, *args, **options):
        from django.utils import timezone

        from tenants.demo.activity import seed_activity
        from tenants.demo.charter import seed_charter_checks
        from tenants.demo.federation import seed_federation

        started = time.monotonic()
        partners = seed_federation(self.stdout)
        only = {slug for slug in options["only"].split(",") if slug}
        if only:
            partners = [p for p in partners if p.slug in only]
        span = f"last {options['years']} years" if options["years"] else "since founding"
        self.stdout.write(f"Activity ({span}):")
        seed_activity(partners, years=options["years"], seed=options["seed"], out=self.stdout)
        self.stdout.write("Charter checks:")
        seed_charter_checks(partners, today=timezone.localdate(), out=self.stdout)
        self.stdout.write(f"Demo federation ready in {time.monotonic() - started:.1f}s.")
