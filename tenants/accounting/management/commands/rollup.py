from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from common.dates import iso_date
from common.errors import EssaimError, refusal_line
from tenants.accounting.rollups import rollup_month_push, rollup_rebuild
from tenants.partners.tasks import partners_ready


def _month(text: str):
    try:
        return iso_date(f"{text}-01")
    except ValueError:
        raise CommandError(f"--month: not a YYYY-MM month: {text!r}") from None


class Command(BaseCommand):
    help = (
        "Push partners' monthly figures to the federation's rollups, now, in this process: "
        "one month (--month YYYY-MM) or every month (--all). Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--partner",
            action="append",
            metavar="SLUG",
            help="only this partner (repeatable); default: every active partner",
        )
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--month", type=_month, help="YYYY-MM")
        which.add_argument("--all", action="store_true", help="every month until today's")

    def handle(self, *args, **options):
        partners = partners_ready()
        if options["partner"]:
            unknown = set(options["partner"]) - {p.slug for p in partners}
            if unknown:
                raise CommandError(f"No active partner {', '.join(sorted(unknown))}.")
            partners = [p for p in partners if p.slug in options["partner"]]
        for partner in partners:
            try:
                with tenant_context(partner):
                    if options["all"]:
                        result = rollup_rebuild()
                    else:
                        result = rollup_month_push(month=options["month"])
            except EssaimError as exc:
                raise CommandError(f"{partner.slug}: {refusal_line(exc)}") from None
            self.stdout.write(f"{partner.slug}: {result}")
