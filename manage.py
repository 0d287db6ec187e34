#!/usr/bin/env python
"""Django's command-line utility for Essaim."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main() -> None:
    # platform/ holds the `config` package; it is a plain folder, not a package named
    # `platform` (which would shadow the standard library's module).
    sys.path.insert(1, str(ROOT / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # With no DATABASE_URL, start (or join) the embedded PostgreSQL before the settings
    # are read; importing them starts nothing.
    from config.embedded_pg import ensure_database_url

    ensure_database_url()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
