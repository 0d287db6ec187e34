"""What the benchmarks share: a scratch database, Django set up like ``manage.py`` does,
alternated rounds of two sides, their statistics, and verdicts in the target's unit.

Every benchmark works in its own database, ``<DATABASE_URL's name>_<suffix>``, created
fresh (dropped first if it exists) and dropped at the end unless ``--keep`` is given, so
that it neither disturbs nor is disturbed by development data. With no ``DATABASE_URL``
the embedded PostgreSQL is started (as the platform itself does) and used the same way.

Two sides (template / migrations, tenant / plain, one process / two...) are measured in
alternated rounds, A B, B A, A B..., so that drift of the machine (other work starting or
stopping) hits both alike; each side's per-round figures are summarised by their median,
minimum, maximum and spread ((max - min) / median), and the two sides by the ratio of each
round, its median and its range. A verdict prints PASS or FAIL in the target's own unit
and any FAIL makes the script exit with status 1 (``harness.run``).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


def machine(*, database: bool = True) -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    text = f"{os.cpu_count()} CPU ({cpu or platform.machine()}), Python {platform.python_version()}"
    return text + (f", PostgreSQL {server_version()}" if database else "")


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


# --- Alternated rounds ------------------------------------------------------------------


def round_order(sides: Sequence[str], index: int) -> tuple[str, ...]:
    """The order of the sides in round ``index`` (from 0): as given in even rounds,
    reversed in odd ones, so that over two rounds each side goes first once (A B, B A)."""
    return tuple(sides) if index % 2 == 0 else tuple(reversed(sides))


def alternated_order(sides: Sequence[str], rounds: int) -> list[str]:
    """Every measurement of ``rounds`` rounds, in order: A B B A A B ..."""
    return [side for index in range(rounds) for side in round_order(sides, index)]


def alternate(
    measure: dict[str, Callable[[], float]],
    rounds: int,
    *,
    unit: str | dict[str, str],
    before_each: Callable[[str], None] | None = None,
) -> dict[str, list[float]]:
    """Run ``rounds`` rounds of every side of ``measure`` (side name -> a callable giving
    that side's figure for one round), alternated; print each figure (``unit``: one for
    all sides, or one per side) with the load average and return the figures by side, in
    round order. ``before_each(side)``, if given, runs untimed before each measurement."""
    figures: dict[str, list[float]] = {side: [] for side in measure}
    for index in range(rounds):
        for side in round_order(list(measure), index):
            if before_each is not None:
                before_each(side)
            value = measure[side]()
            figures[side].append(value)
            side_unit = unit if isinstance(unit, str) else unit[side]
            print(
                f"  round {index + 1:>2}  {side:<16} {value:12.2f} {side_unit}"
                f"   (load {os.getloadavg()[0]:.2f})",
                flush=True,
            )
    return figures


@dataclass(frozen=True)
class Spread:
    """One side's per-round figures: median, extremes, and their spread relative to the
    median ((max - min) / median, 0.25 = the rounds span 25 % of the median)."""

    median: float
    min: float
    max: float
    spread: float
    n: int

    def text(self, unit: str, digits: int = 1) -> str:
        return (
            f"median {self.median:.{digits}f} {unit} (min {self.min:.{digits}f}, "
            f"max {self.max:.{digits}f}, spread {self.spread:.0%}, {self.n} rounds)"
        )


def spread(values: Sequence[float]) -> Spread:
    if not values:
        raise ValueError("no figures to summarise")
    median = statistics.median(values)
    low, high = min(values), max(values)
    return Spread(
        median=median,
        min=low,
        max=high,
        spread=(high - low) / median if median else float("inf"),
        n=len(values),
    )


def ratios(numerator: Sequence[float], denominator: Sequence[float]) -> list[float]:
    """The ratio of each round, numerator[i] / denominator[i] (same round, both sides)."""
    if len(numerator) != len(denominator):
        raise ValueError(f"{len(numerator)} rounds against {len(denominator)}")
    return [a / b for a, b in zip(numerator, denominator, strict=True)]


def ratio_spread(numerator: Sequence[float], denominator: Sequence[float]) -> Spread:
    """Median and range of the per-round ratios: drift between rounds cancels out."""
    return spread(ratios(numerator, denominator))


def print_sides(figures: dict[str, list[float]], unit: str, digits: int = 1) -> None:
    for side, values in figures.items():
        print(f"  {side:<16} {spread(values).text(unit, digits)}")


# --- Verdicts ---------------------------------------------------------------------------

_failures: list[str] = []


def verdict(
    label: str,
    value: float,
    *,
    unit: str,
    at_least: float | None = None,
    at_most: float | None = None,
    digits: int = 1,
    detail: str = "",
) -> bool:
    """Print PASS or FAIL for ``value`` against its target, in the target's unit
    (``at_least``: higher is better; ``at_most``: lower is better). A FAIL is remembered
    and makes ``run`` exit with status 1."""
    if (at_least is None) == (at_most is None):
        raise ValueError("give exactly one of at_least and at_most")
    passed = value >= at_least if at_least is not None else value <= at_most
    bound = f">= {at_least:g}" if at_least is not None else f"<= {at_most:g}"
    line = (
        f"{'PASS' if passed else 'FAIL'}  {label}: {value:.{digits}f} {unit} "
        f"(target {bound} {unit})"
    )
    print(line + (f"  {detail}" if detail else ""), flush=True)
    if not passed:
        _failures.append(line)
    return passed


def failures() -> list[str]:
    return list(_failures)


def run(main: Callable[[], int | None]) -> None:
    """Run a benchmark's ``main`` and exit: 1 if a verdict failed, else main's status."""
    status = main() or 0
    print(f"load average after: {load_average()}")
    if _failures:
        print(f"\n{len(_failures)} target(s) missed:")
        for line in _failures:
            print(f"  {line}")
        status = status or 1
    sys.exit(status)


# --- Command line and scratch database --------------------------------------------------


def arguments(description: str, *, quick: str, database: bool = True) -> argparse.ArgumentParser:
    """A parser with the options every benchmark has: ``--quick`` (a smoke run, same
    code path, fewer rounds and sizes) and, with a database, ``--keep``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {quick}")
    if database:
        parser.add_argument(
            "--keep", action="store_true", help="keep the scratch database at the end"
        )
    return parser


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def header(name: str, *, database: bool = True) -> None:
    """The first lines of every benchmark's output: what, which commit, which machine
    and how busy it is."""
    print(f"{name} benchmark, commit {git_revision()}")
    print(f"Machine: {machine(database=database)}")
    print(f"load average before: {load_average()}", flush=True)


@contextmanager
def scratch_database(suffix: str, *, keep: bool, settings_module: str = "config.settings.base"):
    """A fresh database for this benchmark, Django set up on it and migrated (public and
    template schemas); dropped at the end unless ``keep``. Yields its URL."""
    url = fresh_database(suffix)
    setup_django(url, settings_module)
    try:
        migrate()
        yield url
    finally:
        if keep:
            print(f"kept the database {database_name(url)}")
        else:
            drop_database(url)
