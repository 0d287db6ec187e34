"""The "plain" configuration of bench/api_throughput.py: the same project, URLconf, views
and authentication as a partner host, without django-tenants at request time. Django's own
PostgreSQL backend (no schema switching, no ``SET search_path``) and no routing
middleware, so a request never looks at its host and runs in the database's public schema,
against a public (headquarters) user and its token. The database is the benchmark's own
copy holding only the public schema.

django-tenants stays installed (its app checks at start-up that its router is configured;
the router only decides migrations, which this configuration never runs).

Not for any use beyond that benchmark.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES as _DATABASES
from config.settings.base import MIDDLEWARE as _TENANT_MIDDLEWARE

DATABASES = {"default": {**_DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}}
MIDDLEWARE = [
    m for m in _TENANT_MIDDLEWARE if m != "tenants.partners.routing.TenantRoutingMiddleware"
]
# The URLconf a partner host is served with, so that URL resolution is the same work.
ROOT_URLCONF = "config.urls_tenant"
