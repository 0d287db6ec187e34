from django.core.management.base import BaseCommand, CommandError

from common.dates import iso_date
from common.errors import EssaimError, refusal_line
from tenants.partners.models import Tier
from tenants.partners.services import partner_create, partner_host


class Command(BaseCommand):
    help = "Create a partner: its schema (from the template), registry row and host."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2, e.g. DE")
        parser.add_argument("--tier", required=True, choices=Tier.values)
        parser.add_argument("--founded", type=iso_date, help="YYYY-MM-DD")
        parser.add_argument("--currency", help="ISO 4217; default: the country's")
        parser.add_argument("--locale", help="default locale, e.g. fr_BE")
        parser.add_argument("--legal-form", default="")

    def handle(self, *args, **options):
        try:
            partner = partner_create(
                slug=options["slug"],
                name=options["name"],
                country=options["country"],
                tier=options["tier"],
                founded_on=options["founded"],
                currency=options["currency"],
                default_locale=options["locale"],
                legal_form=options["legal_form"],
                recorded_by="create_partner",
            )
        except EssaimError as exc:
            raise CommandError(refusal_line(exc)) from None
        self.stdout.write(
            f"Created {partner.slug} ({partner.country}, {partner.tier}, {partner.currency}) "
            f"at {partner_host(partner.slug)}"
        )
