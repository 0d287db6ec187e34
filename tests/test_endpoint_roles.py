"""Every API endpoint declares who may use it: the role permission with roles for each of
its actions, or an explicit public allowance (token exchange, API schema and docs)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.api.permissions import HasRole
from common.api.views import AuthTokenApi

PUBLIC_VIEWS = {AuthTokenApi, SpectacularAPIView, SpectacularSwaggerView}


def _api_views(urlconf):
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "cls", None)
                if view_class is not None:
                    yield prefix + str(pattern.pattern), pattern.callback, view_class

    return list(walk(get_resolver(urlconf).url_patterns))


@pytest.mark.parametrize("urlconf", ["config.urls_public", "config.urls_tenant"])
def test_every_endpoint_declares_its_roles(urlconf):
    undeclared = []
    views = _api_views(urlconf)
    assert len(views) > 5
    for route, callback, view_class in views:
        if view_class in PUBLIC_VIEWS:
            continue
        if HasRole not in view_class.permission_classes:
            undeclared.append(f"{route}: {view_class.__name__} lacks HasRole")
            continue
        roles = getattr(view_class, "roles", None)
        if roles is None:
            undeclared.append(f"{route}: {view_class.__name__} declares no roles")
            continue
        if isinstance(roles, dict):
            actions = getattr(callback, "actions", None) or {}
            methods = (
                actions.items()
                if actions
                else [
                    (m, None)
                    for m in view_class.http_method_names
                    if hasattr(view_class, m) and m not in ("options", "head")
                ]
            )
            for method, action in methods:
                if not any(k in roles for k in (action, method, method.upper(), "*")):
                    undeclared.append(f"{route}: {method} {action} has no roles")
    assert undeclared == []
