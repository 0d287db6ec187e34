"""``accounting/journal/`` (generic double-entry CSV) and ``accounting/fec/`` (the French
legal FEC, for a partner in France). Admin and accountant only. Reading only."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from common.accounts.models import Role
from common.api.export import file_response
from common.api.permissions import HasRole
from common.api.schema import also_answers
from common.dates import iso_date
from tenants.accounting.exceptions import ExportInvalid, FecUnavailable
from tenants.accounting.exports import fec, fec_filename, journal_csv
from tenants.accounting.selectors import journal_for_period
from tenants.partner_settings.selectors import partner_settings_get

PERIOD = [
    OpenApiParameter("from", dt.date, required=True, description="First day (YYYY-MM-DD)."),
    OpenApiParameter("to", dt.date, required=True, description="Last day (YYYY-MM-DD)."),
]


def _period(request) -> tuple[dt.date, dt.date]:
    values = {}
    errors = {}
    for name in ("from", "to"):
        raw = request.query_params.get(name, "")
        try:
            values[name] = iso_date(raw)
        except ValueError:
            errors[name] = [_("A date YYYY-MM-DD is required.")]
    if errors:
        raise ExportInvalid(extra={"fields": errors})
    return values["from"], values["to"]


class JournalExportApi(APIView):
    permission_classes = [HasRole]
    roles = (Role.ADMIN, Role.ACCOUNTANT)

    @extend_schema(parameters=PERIOD, responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request):
        start, end = _period(request)
        content = journal_csv(journal_for_period(start=start, end=end))
        name = f"journal-{connection.tenant.slug}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
        return file_response(content, filename=name, fmt="csv")


class FecExportApi(APIView):
    permission_classes = [HasRole]
    roles = (Role.ADMIN, Role.ACCOUNTANT)

    @extend_schema(parameters=PERIOD, responses={(200, "text/plain"): OpenApiTypes.BINARY})
    @also_answers(409)
    def get(self, request):
        if connection.tenant.country != "FR":
            raise FecUnavailable(
                _("The FEC is the French legal format; this partner is not in France."),
                {"country": connection.tenant.country},
            )
        siren = partner_settings_get().company_id
        if not siren:
            raise FecUnavailable(_("Set the partner's SIREN (settings: company_id) first."))
        start, end = _period(request)
        content = fec(journal_for_period(start=start, end=end))
        return file_response(
            content, filename=fec_filename(siren=siren, closing_date=end), fmt="txt"
        )
