"""Database helpers that know nothing of partners."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def database_url(settings_dict: dict) -> str:
    """The URL of the database a connection uses (its ``settings_dict``), for a child
    process that must reach the very same database: e.g. ``postgresql://u:p@host:5432/db``,
    or ``postgresql://u@/db?host=/run/socket/dir`` for a unix socket. A socket directory
    may be in ``HOST`` or, as dj-database-url puts it, in ``OPTIONS['host']``."""
    options = settings_dict.get("OPTIONS") or {}
    host = settings_dict.get("HOST") or options.get("host") or ""
    port = settings_dict.get("PORT") or options.get("port") or ""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    name = quote(settings_dict["NAME"], safe="")
    if host.startswith("/"):
        query = {"host": host, **({"port": port} if port else {})}
        return f"postgresql://{auth}/{name}?{urlencode(query)}"
    return f"postgresql://{auth}{host}{f':{port}' if port else ''}/{name}"
