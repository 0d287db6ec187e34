"""A partner's host (<slug>.PLATFORM_DOMAIN): that partner's schema."""

from django.urls import include, path

from config.urls_common import common_urlpatterns

TENANT_API_MODULES = [
    "tenants.partner_settings.api.urls",
    "tenants.audit.api.urls",
    "tenants.members.api.urls",
    "tenants.invoicing.api.urls",
    "tenants.expenses.api.urls",
    "tenants.payroll.api.urls",
    "tenants.accounting.api.urls",
    "tenants.labour_law.api.urls",
    "services_catalog.local.api.urls",
    # The partner's own findings and annual reports (public tables, its rows only).
    "shared.charter.api.partner_urls",
]

urlpatterns = [
    *common_urlpatterns(__name__),
    path("", include("common.web.urls")),
    *[path("api/v1/", include(module)) for module in TENANT_API_MODULES],
]

handler400 = "common.api.views.bad_request"
handler404 = "common.api.views.not_found"
handler500 = "common.api.views.server_error"
