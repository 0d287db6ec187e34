"""The federation host (PLATFORM_DOMAIN): public schema only."""

from django.urls import include, path

from config.urls_common import common_urlpatterns

urlpatterns = [
    *common_urlpatterns(__name__),
    path("", include("common.web.urls")),
    path("api/v1/", include("tenants.partners.api.urls")),
    path("api/v1/", include("services_catalog.reference.api.urls")),
    path("api/v1/", include("shared.charter.api.urls")),
]

handler400 = "common.api.views.bad_request"
handler404 = "common.api.views.not_found"
handler500 = "common.api.views.server_error"
