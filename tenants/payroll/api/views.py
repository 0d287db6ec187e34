"""``guarantee-fund/`` (the partner's mutual guarantee fund; ``fund/`` is reserved for the
federation's investment fund). Staff read; admin, advisor and accountant advance on an
overdue invoice; only an accountant writes off. Members see their own advances and
recoveries in their activity's ledger."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from common.accounts.models import Role
from common.api.export import ExportMixin
from common.api.params import choice_param, id_param
from common.api.permissions import HasRole
from common.api.schema import id_parameter
from tenants.invoicing.exceptions import ObjectNotFound
from tenants.invoicing.selectors import invoice_get
from tenants.partner_settings.selectors import partner_settings_get
from tenants.payroll import selectors, services
from tenants.payroll.api.serializers import (
    AdvanceInput,
    EligibleInvoiceOutput,
    FundMovementOutput,
    FundSummaryOutput,
    WriteOffInput,
)
from tenants.payroll.exceptions import FundInvoiceNotFound
from tenants.payroll.fund_models import FundMovementKind

STAFF = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT)


def _invoice(request, pk):
    """The invoice named in a request body (through invoicing's selector: another
    partner's or an unknown id answers 404)."""
    try:
        return invoice_get(user=request.user, pk=pk)
    except ObjectNotFound:
        raise FundInvoiceNotFound() from None


class FundSummaryApi(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(responses=FundSummaryOutput)
    def get(self, request):
        settings = partner_settings_get()
        balance = selectors.fund_balance()
        return Response(
            FundSummaryOutput(
                {
                    "balance": str(balance.amount),
                    "outstanding_advances": str(selectors.fund_outstanding().amount),
                    "currency": balance.currency,
                    "guarantee_fund_share": str(settings.guarantee_fund_share),
                    "fund_overdue_days": settings.fund_overdue_days,
                }
            ).data
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", enum=FundMovementKind.values),
            id_parameter("invoice", "The invoice's id."),
            id_parameter("activity", "The activity's id."),
        ]
    )
)
class FundMovementViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = STAFF
    serializer_class = FundMovementOutput
    export_filename = "guarantee-fund"
    ordering_fields = ["booked_on", "id", "amount", "kind"]
    ordering = ["booked_on", "id"]
    search_fields = ["description", "reason"]

    def get_queryset(self):
        qs = selectors.fund_movements()
        kind = choice_param(self.request, "kind", FundMovementKind.values)
        if kind:
            qs = qs.filter(kind=kind)
        for param, field in (("invoice", "invoice_id"), ("activity", "activity_id")):
            value = id_param(self.request, param)
            if value is not None:
                qs = qs.filter(**{field: value})
        return qs


class FundEligibleApi(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(responses=EligibleInvoiceOutput(many=True))
    def get(self, request):
        return Response(EligibleInvoiceOutput(selectors.fund_eligible_invoices(), many=True).data)


class FundAdvanceApi(APIView):
    permission_classes = [HasRole]
    roles = STAFF

    @extend_schema(request=AdvanceInput, responses={201: FundMovementOutput})
    def post(self, request):
        data = AdvanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        movement = services.fund_advance(
            invoice=_invoice(request, data.validated_data["invoice"]),
            amount=data.validated_data["amount"],
            created_by=request.user,
        )
        return Response(FundMovementOutput(movement).data, status=status.HTTP_201_CREATED)


class FundWriteOffApi(APIView):
    permission_classes = [HasRole]
    roles = (Role.ACCOUNTANT,)

    @extend_schema(request=WriteOffInput, responses={201: FundMovementOutput})
    def post(self, request):
        data = WriteOffInput(data=request.data)
        data.is_valid(raise_exception=True)
        movement = services.fund_write_off(
            invoice=_invoice(request, data.validated_data["invoice"]),
            reason=data.validated_data["reason"],
            amount=data.validated_data.get("amount"),
            created_by=request.user,
        )
        return Response(FundMovementOutput(movement).data, status=status.HTTP_201_CREATED)
