"""Install the ECB reference rates shipped in ``data/`` (see data/README.md).

Part of `migrate`, so every installation (production, demo, tests) can consolidate without
a download. Forward is idempotent: an equal rate is left alone, a corrected one replaced;
later files are loaded with ``manage.py load_exchange_rates``. Reverse keeps the rows
(they may have been loaded or corrected since).
"""

from django.db import migrations


def load_bundled(apps, schema_editor):
    # The parser reads text only; it is the same one the command uses, so the bundled file
    # and an operator's file are held to one format.
    from shared.exchange_rates.ecb import BUNDLED_FILE, BUNDLED_SOURCE, ecb_file_read, rates_store

    rates_store(
        apps.get_model("exchange_rates", "ExchangeRate"),
        ecb_file_read(BUNDLED_FILE),
        source=BUNDLED_SOURCE,
    )


class Migration(migrations.Migration):
    dependencies = [("exchange_rates", "0001_initial")]

    operations = [migrations.RunPython(load_bundled, migrations.RunPython.noop)]
