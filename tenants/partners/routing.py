"""Host routing: which schema serves a request.

The stock django-tenants middleware reads the domain table on every request. Here each
process keeps the host table in memory and revalidates it against ``RegistryVersion``
(a counter a trigger bumps on every change to partners or domains) at most every
``TENANT_ROUTING_REFRESH_SECONDS``. Once warm, a request costs no query for routing, and
no ``SET search_path`` either when the connection's session already has the partner's
path (the backend, ``tenants.partners.db``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import set_urlconf
from django.utils import translation
from django.utils.translation import gettext as _

from common.i18n import language_for
from tenants.partners.models import Partner, Status


@dataclass(frozen=True)
class RoutingTable:
    version: int
    hosts: dict[str, Partner]
    checked_at: float


_lock = threading.Lock()
_table: RoutingTable | None = None


def _current_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM public.partners_registryversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def _load(version: int) -> RoutingTable:
    from tenants.partners.models import Domain

    hosts: dict[str, Partner] = {}
    for domain in Domain.objects.select_related("tenant"):
        hosts[domain.domain.lower()] = domain.tenant
    return RoutingTable(version=version, hosts=hosts, checked_at=time.monotonic())


def routing_table() -> RoutingTable:
    """The host table of this process, reloaded when the registry version changed.

    Must be called with the connection on the public schema.
    """
    global _table
    table = _table
    now = time.monotonic()
    if table is not None and now - table.checked_at < settings.TENANT_ROUTING_REFRESH_SECONDS:
        return table
    with _lock:
        version = _current_version()
        if _table is not None and _table.version == version:
            _table = RoutingTable(_table.version, _table.hosts, now)
        else:
            _table = _load(version)
        return _table


def routing_cache_clear() -> None:
    """Forget this process's host table (other processes notice the version change)."""
    global _table
    with _lock:
        _table = None


def resolve_host(host: str) -> Partner | None:
    """The partner served at ``host`` (no port), or None when it is the federation host.

    Raises ``LookupError`` for an unknown host.
    """
    host = host.lower().rstrip(".")
    if host == settings.PLATFORM_DOMAIN:
        return None
    partner = routing_table().hosts.get(host)
    if partner is None:
        raise LookupError(host)
    return partner


def _refuse(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        response = JsonResponse({"message": message, "code": code, "extra": {}}, status=status)
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Content-Language"] = translation.get_language()
    response["Vary"] = "Accept-Language"
    return response


def _refusal_language(request: HttpRequest, partner: Partner | None):
    """A refusal comes before any user is known (and before the language middleware):
    the browser's language, else the partner's, else English (``common.i18n``)."""
    return translation.override(
        language_for(partner=partner, accept_language=request.headers.get("Accept-Language", ""))
    )


class TenantRoutingMiddleware:
    """Select the schema and URLconf from the Host header; refuse unknown, suspended and
    archived partners with 404, 403 and 410."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        connection.set_schema_to_public()
        raw_host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        host = raw_host.rsplit(":", 1)[0] if not raw_host.endswith("]") else raw_host
        try:
            partner = resolve_host(host)
        except LookupError:
            with _refusal_language(request, None):
                return _refuse(
                    request, 404, "unknown_host", _("No partner is served at %s.") % host
                )
        if partner is None:
            request.tenant = None
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return self.get_response(request)
        if partner.status == Status.SUSPENDED:
            with _refusal_language(request, partner):
                return _refuse(
                    request, 403, "partner_suspended", _("%s is suspended.") % partner.name
                )
        if partner.status == Status.ARCHIVED:
            with _refusal_language(request, partner):
                return _refuse(
                    request, 410, "partner_archived", _("%s is archived.") % partner.name
                )
        request.tenant = partner
        connection.set_tenant(partner)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        try:
            return self.get_response(request)
        finally:
            # Leave the connection on public, so that nothing after the response (or the
            # next request on this thread) runs in this partner's schema by accident.
            connection.set_schema_to_public()
