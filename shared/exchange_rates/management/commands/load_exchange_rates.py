from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from common.errors import EssaimError, refusal_line
from shared.exchange_rates.services import exchange_rates_load


class Command(BaseCommand):
    help = (
        "Load exchange rates from a file in the ECB's CSV format (eurofxref-hist.csv) into "
        "the public schema. Safe to rerun: unchanged rates are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="an ECB CSV file, e.g. eurofxref-hist.csv")
        parser.add_argument("--source", help="what to record as the rows' source")

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        try:
            load = exchange_rates_load(path=options["path"], source=options["source"])
        except EssaimError as exc:
            raise CommandError(refusal_line(exc)) from None
        self.stdout.write(
            f"{load.rates} rates read: {load.created} new, {load.updated} changed, "
            f"{load.unchanged} unchanged."
        )
