"""Routes every host has: token auth, who-am-I, OpenAPI schema and docs, the Django admin."""

from django.contrib import admin
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from common.api.views import AuthTokenApi, MeApi


def common_urlpatterns(urlconf: str) -> list:
    """The shared routes; the schema describes ``urlconf``'s endpoints (each kind of host
    documents its own API)."""
    return [
        path("api/v1/auth/token/", AuthTokenApi.as_view(), name="auth-token"),
        path("api/v1/me/", MeApi.as_view(), name="me"),
        path("api/schema/", SpectacularAPIView.as_view(urlconf=urlconf), name="schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
        path("admin/", admin.site.urls),
    ]
