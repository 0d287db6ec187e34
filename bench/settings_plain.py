"""The "plain" configuration of bench/api_throughput.py: the same project, URLconf, views
and authentication, without tenant resolution. The routing middleware is removed, so a
request never looks at its host and runs in the public schema (the search_path is set once
per connection), against a public (headquarters) user and its token.

Not for any use beyond that benchmark.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE as _TENANT_MIDDLEWARE

MIDDLEWARE = [
    m for m in _TENANT_MIDDLEWARE if m != "tenants.partners.routing.TenantRoutingMiddleware"
]
# The URLconf a partner host is served with, so that URL resolution is the same work.
ROOT_URLCONF = "config.urls_tenant"
