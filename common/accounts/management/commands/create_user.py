import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from common.accounts.services import user_create
from common.errors import EssaimError, refusal_line


class Command(BaseCommand):
    help = (
        "Create a user in a partner's schema (--partner SLUG) or at headquarters (--hq). "
        "The password comes from --password or ESSAIM_PASSWORD."
    )

    def add_arguments(self, parser):
        side = parser.add_mutually_exclusive_group(required=True)
        side.add_argument("--partner", metavar="SLUG")
        side.add_argument("--hq", action="store_true")
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True)
        parser.add_argument("--password")
        parser.add_argument("--email", default="")
        parser.add_argument("--language", default="")

    def handle(self, *args, **options):
        from tenants.partners.selectors import partner_get

        password = options["password"] or os.environ.get("ESSAIM_PASSWORD")
        if not password:
            raise CommandError("Give --password or set ESSAIM_PASSWORD.")
        try:
            connection.set_schema_to_public()
            if options["partner"]:
                connection.set_tenant(partner_get(slug=options["partner"]))
            user = user_create(
                username=options["username"],
                role=options["role"],
                password=password,
                email=options["email"],
                language=options["language"],
            )
        except EssaimError as exc:
            raise CommandError(refusal_line(exc)) from None
        finally:
            connection.set_schema_to_public()
        where = options["partner"] or "headquarters"
        self.stdout.write(f"Created {user.username} ({user.role}) in {where}.")
