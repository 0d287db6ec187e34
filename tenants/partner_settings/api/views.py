"""``settings/``: every partner role reads (members see the fee rate that applies to them);
only ``admin`` changes."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from common.accounts.models import Role
from common.api.permissions import HasRole
from tenants.partner_settings import selectors, services
from tenants.partner_settings.api.serializers import SettingsInput, SettingsOutput
from tenants.partner_settings.exceptions import FeeRateNotFound

ALL = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT, Role.MEMBER)


def _render(settings_row) -> dict:
    try:
        rate = str(selectors.fee_rate(on=timezone.localdate()))
    except FeeRateNotFound:
        rate = None
    tenant = connection.tenant
    context = {
        "fee_rate": rate,
        "fee_rates": list(selectors.fee_rate_history()),
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
