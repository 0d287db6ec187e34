"""The charter's API on a partner's host: ``charter-findings/`` (the partner's own, read
by its staff) and ``annual-reports/`` (filed and corrected by its ``admin`` or
``accountant``, read by its staff). Another partner's finding or report answers 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from common.accounts.models import Role
from common.api.params import choice_param
from common.api.permissions import HasRole
from common.tenancy import current_partner
from shared.charter import selectors, services
from shared.charter.api.serializers import (
    AnnualReportFigures,
    AnnualReportInput,
    AnnualReportOutput,
    FindingOutput,
)
from shared.charter.api.views import FINDING_PARAMETERS, YEAR_SCHEMA, year_param
from shared.charter.models import AnnualReport, CharterFinding, FindingKind, FindingStatus

STAFF = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT)
FILING = (Role.ADMIN, Role.ACCOUNTANT)


class OwnFindingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """This partner's charter findings (open and resolved, dated), newest first."""

    permission_classes = [HasRole]
    roles = STAFF
    serializer_class = FindingOutput
    ordering_fields = ["opened_on", "resolved_on", "kind", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, built with no partner
            return CharterFinding.objects.none()
        return selectors.finding_list(
            partner=current_partner(),
            status=choice_param(self.request, "status", FindingStatus.values),
            kind=choice_param(self.request, "kind", FindingKind.values),
        )

    @extend_schema(parameters=FINDING_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        finding = selectors.finding_get(pk=pk, partner=current_partner())
        return Response(FindingOutput(finding).data)


class OwnAnnualReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """This partner's annual reports: ``POST`` files a year's report (the figures the
    charter of that year asks for are required), ``PATCH`` corrects figures."""

    permission_classes = [HasRole]
    roles = {"list": STAFF, "retrieve": STAFF, "*": FILING}
    serializer_class = AnnualReportOutput
    ordering_fields = ["year", "filed_on"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, built with no partner
            return AnnualReport.objects.none()
        return selectors.annual_report_list(
            partner=current_partner(), year=year_param(self.request)
        )

    @extend_schema(parameters=[OpenApiParameter("year", YEAR_SCHEMA)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk=None):
        report = selectors.annual_report_get(pk=pk, partner=current_partner())
        return Response(AnnualReportOutput(report).data)

    @extend_schema(request=AnnualReportInput, responses={201: AnnualReportOutput})
    def create(self, request):
        data = AnnualReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        figures = dict(data.validated_data)
        year = figures.pop("year")
        currency = figures.pop("currency", None)
        report = services.annual_report_file(
            partner=current_partner(),
            actor=request.user,
            year=year,
            figures=figures,
            currency=currency,
        )
        return Response(AnnualReportOutput(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnnualReportFigures, responses=AnnualReportOutput)
    def partial_update(self, request, pk=None):
        data = AnnualReportFigures(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        report = services.annual_report_correct(
            report=selectors.annual_report_get(pk=pk, partner=current_partner()),
            actor=request.user,
            figures=dict(data.validated_data),
        )
        return Response(AnnualReportOutput(report).data)
