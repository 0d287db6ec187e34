"""The database backend: django-tenants' PostgreSQL backend, which issues no ``SET
search_path`` when the session already has the path it would set.

django-tenants forgets the path it set whenever a request or task selects a tenant
(``set_tenant``), so every request paid one ``SET search_path`` round trip, even when the
connection (kept open across requests, ``CONN_MAX_AGE``) already had that very path: about
8 % of a short request's server time (docs/benchmarks.md, API throughput). This backend
also remembers what the *session* holds, and skips the statement when the path is the same.

What the session holds is known only while nothing can have changed it behind Django's
back, so the memory is dropped (and the next cursor sets the path again) whenever that
is not certain:

- on ``rollback`` and ``savepoint_rollback``: a ``SET`` issued inside the transaction or
  savepoint being rolled back is undone by PostgreSQL;
- when the connection is opened or closed (a new or pooled session);
- when setting the path failed.

Code that runs its own ``SET search_path`` must put the previous value back before it
returns (``tenants.partners.template`` does, within the statement's transaction).
"""

from __future__ import annotations

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.utils import get_limit_set_calls


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The search path the server session has, as a list of schemas; None: unknown.
        self.session_search_path: list[str] | None = None

    def _handle_search_path(self, cursor=None):
        if self._setting_search_path:
            return
        if get_limit_set_calls() and self.search_path_set_schemas:
            return
        if self.schema_name:
            wanted = self._get_cursor_search_paths()
            if wanted == self.session_search_path:
                self.search_path_set_schemas = wanted
                return
        super()._handle_search_path(cursor)
        self.session_search_path = self.search_path_set_schemas

    def _forget_session_search_path(self) -> None:
        self.session_search_path = None

    def connect(self):
        self._forget_session_search_path()
        super().connect()

    def close(self):
        self._forget_session_search_path()
        super().close()

    def rollback(self):
        self._forget_session_search_path()
        super().rollback()

    def savepoint_rollback(self, sid):
        try:
            super().savepoint_rollback(sid)
        finally:
            self._forget_session_search_path()
