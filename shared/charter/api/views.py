"""The charter's API.

Federation host: ``charters/`` (``hq_admin`` writes new versions and changes versions not
yet in force; ``hq_analyst`` reads), ``charter-findings/`` and ``annual-reports/`` (every
partner's, read by HQ). Partner host (``partner_views``): the partner's own findings and
annual reports. All read public tables only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from common.accounts.models import Role
from common.api.params import choice_param, date_param
from common.api.permissions import HasRole
from common.errors import ValidationFailed
from shared.charter import selectors, services
from shared.charter.api.serializers import (
    AnnualReportOutput,
    CharterFields,
    CharterInput,
    CharterOutput,
    FindingOutput,
)
from shared.charter.models import FindingKind, FindingStatus
from tenants.partners.models import Tier

HQ = (Role.HQ_ADMIN, Role.HQ_ANALYST)

FINDING_PARAMETERS = [
    OpenApiParameter("status", enum=FindingStatus.values),
    OpenApiParameter("kind", enum=FindingKind.values),
]


# ``?year=``: a calendar year, as the schema documents it.
YEAR_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 9999}


def year_param(request) -> int | None:
    """``?year=YYYY`` (1 to 9999) as an int, None when absent. Raises
    ``ValidationFailed``."""
    raw = request.query_params.get("year")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4 and int(raw) >= 1):
        raise ValidationFailed(
            _("year must be a year (YYYY)."), {"fields": {"year": [_("A year, e.g. 2025.")]}}
        )
    return int(raw)


def partner_param(request) -> str | None:
    """``?partner=<slug>``: an unknown slug simply matches nothing."""
    return request.query_params.get("partner") or None


class CharterViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Charter versions per tier, newest first. ``?on=`` keeps the version of each tier
    in force on that date. A new version (``POST``) takes effect today or later and copies
    the fields it does not give from the version in force on its date; a version in force
    is never changed (409 ``charter_version_in_force``)."""

    permission_classes = [HasRole]
    roles = {"list": HQ, "retrieve": HQ, "*": (Role.HQ_ADMIN,)}
    serializer_class = CharterOutput
    ordering_fields = ["tier", "effective_from"]

    def get_queryset(self):
        return selectors.charter_list(
            tier=choice_param(self.request, "tier", Tier.values),
            on=date_param(self.request, "on"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("tier", enum=Tier.values),
            OpenApiParameter("on", OpenApiTypes.DATE, description="Versions in force on"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        return Response(CharterOutput(selectors.charter_get(pk=pk)).data)

    @extend_schema(request=CharterInput, responses={201: CharterOutput})
    def create(self, request):
        data = CharterInput(data=request.data)
        data.is_valid(raise_exception=True)
        charter = services.charter_create(actor=request.user, **data.validated_data)
        return Response(CharterOutput(charter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CharterFields, responses=CharterOutput)
    def partial_update(self, request, pk=None):
        data = CharterFields(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        charter = services.charter_update(
            charter=selectors.charter_get(pk=pk), actor=request.user, **data.validated_data
        )
        return Response(CharterOutput(charter).data)


class FindingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every partner's charter findings (open and resolved, dated), newest first;
    ``?partner=<slug>``, ``?status=``, ``?kind=``, ``?tier=`` narrow the list."""

    permission_classes = [HasRole]
    roles = HQ
    serializer_class = FindingOutput
    ordering_fields = ["opened_on", "resolved_on", "kind", "status"]

    def get_queryset(self):
        return selectors.finding_list(
            partner_slug=partner_param(self.request),
            status=choice_param(self.request, "status", FindingStatus.values),
            kind=choice_param(self.request, "kind", FindingKind.values),
            tier=choice_param(self.request, "tier", Tier.values),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("partner", str, description="A partner's slug"),
            OpenApiParameter("tier", enum=Tier.values),
            *FINDING_PARAMETERS,
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        return Response(FindingOutput(selectors.finding_get(pk=pk)).data)


class AnnualReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The partners' annual reports (filed by each partner on its own host);
    ``?partner=<slug>`` and ``?year=`` narrow the list."""

    permission_classes = [HasRole]
    roles = HQ
    serializer_class = AnnualReportOutput
    ordering_fields = ["year", "filed_on"]

    def get_queryset(self):
        return selectors.annual_report_list(
            partner_slug=partner_param(self.request), year=year_param(self.request)
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("partner", str, description="A partner's slug"),
            OpenApiParameter("year", YEAR_SCHEMA),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        return Response(AnnualReportOutput(selectors.annual_report_get(pk=pk)).data)
