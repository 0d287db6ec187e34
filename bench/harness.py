"""What the foundation benchmarks share: a dedicated database, Django set up like
``manage.py`` does, and small statistics.

Every benchmark works in its own database, ``<DATABASE_URL's name>_<suffix>``, created
fresh (dropped first if it exists) and dropped at the end unless ``--keep`` is given, so
that it neither disturbs nor is disturbed by development data. With no ``DATABASE_URL``
the embedded PostgreSQL is started (as the platform itself does) and used the same way.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
for entry in (str(ROOT / "platform"), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)


def base_database_url() -> str:
    """``DATABASE_URL``, or the embedded server's URL when it is not set."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    from config.embedded_pg import embedded_database_url

    data = Path(os.environ.get("ESSAIM_DATA_DIR", ROOT / ".data"))
    url = embedded_database_url(data)
    os.environ["DATABASE_URL"] = url
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def _admin_connection(url: str):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def fresh_database(suffix: str) -> str:
    """Create an empty database for this benchmark and return its URL."""
    base = base_database_url()
    name = f"{database_name(base)}_{suffix}"
    with _admin_connection(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(base, name)


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def setup_django(url: str, settings_module: str = "config.settings.base") -> None:
    """Point this process (and its children) at ``url`` and set Django up."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPU ({cpu or platform.machine()}), Python "
        f"{platform.python_version()}, PostgreSQL {server_version()}"
    )


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` (0..1) percentile, by linear interpolation."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "p90": percentile(values, 0.9),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


class Stopwatch:
    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
