"""``settings/``: every partner role reads (members see the fee rate that applies to them);
only ``admin`` changes. The answer also shows the federation contribution rate, the share
remuneration rate, headquarters' board seats and the charter version bounding them; a
value out of the charter's bounds is refused (400 ``charter_violation``, naming the bound
and the version)."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from common.accounts.models import Role
from common.api.permissions import HasRole
from shared.charter.enforcement import partner_tier
from shared.charter.exceptions import CharterNotFound
from shared.charter.selectors import charter_in_force
from tenants.partner_settings import selectors, services
from tenants.partner_settings.api.serializers import SettingsInput, SettingsOutput
from tenants.partner_settings.exceptions import ContributionRateNotFound, FeeRateNotFound

ALL = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT, Role.MEMBER)


def _render(settings_row) -> dict:
    today = timezone.localdate()
    try:
        rate = str(selectors.fee_rate(on=today))
    except FeeRateNotFound:
        rate = None
    try:
        contribution = str(selectors.federation_contribution_rate(on=today))
    except ContributionRateNotFound:
        contribution = None
    tenant = connection.tenant
    try:
        charter = charter_in_force(partner_tier(tenant, today), today)
    except CharterNotFound:
        charter = None
    context = {
        "fee_rate": rate,
        "fee_rates": list(selectors.fee_rate_history()),
        "contribution_rate": contribution,
        "contribution_rates": list(selectors.contribution_rate_history()),
        "charter": charter,
        "country": getattr(tenant, "country", ""),
        "currency": getattr(tenant, "currency", ""),
    }
    return SettingsOutput(settings_row, context=context).data


class PartnerSettingsApi(APIView):
    permission_classes = [HasRole]
    roles = {"get": ALL, "patch": (Role.ADMIN,)}

    @extend_schema(responses=SettingsOutput)
    def get(self, request):
        return Response(_render(selectors.partner_settings_get()))

    @extend_schema(request=SettingsInput, responses=SettingsOutput)
    def patch(self, request):
        data = SettingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        # Pass the raw JSON values the client sent for the keys it sent (the service
        # validates ranges and formats itself).
        values = {key: data.validated_data[key] for key in data.validated_data}
        row = services.partner_settings_update(actor=request.user, data=values)
        return Response(_render(row))
