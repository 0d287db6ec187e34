"""``expenses/``: a member files an expense for their own activity (staff may file for any);
advisors, accountants and admins approve or reject it. Receipts are served only through
``{id}/receipt/``, to users who may see the expense."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiRequest,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.accounts.models import Role
from common.api.export import ExportMixin
from common.api.params import choice_param, id_param
from common.api.parsers import DecimalJSONParser, StrictMultiPartParser
from common.api.permissions import HasRole
from common.api.schema import id_parameter
from common.money import Money
from common.tenancy import current_partner
from tenants.expenses import selectors, services
from tenants.expenses.api.serializers import DecisionInput, ExpenseInput, ExpenseOutput
from tenants.expenses.exceptions import ExpenseNotFound
from tenants.expenses.models import ExpenseStatus
from tenants.expenses.services import RECEIPT_SIGNATURES
from tenants.members.selectors import activity_get

RECEIPT_TYPES = sorted(set(RECEIPT_SIGNATURES.values()))
STAFF = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT)
ALL = (*STAFF, Role.MEMBER)
FILERS = (Role.ADMIN, Role.ADVISOR, Role.MEMBER)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", enum=ExpenseStatus.values),
            id_parameter("activity", "The activity's id."),
        ]
    )
)
class ExpenseViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = {
        "list": ALL,
        "retrieve": ALL,
        "receipt": ALL,
        "create": FILERS,
        "approve": STAFF,
        "reject": STAFF,
    }
    # JSON everywhere, as the rest of the API; multipart for the receipt upload.
    parser_classes = [DecimalJSONParser, StrictMultiPartParser]
    serializer_class = ExpenseOutput
    export_filename = "expenses"
    ordering_fields = ["submitted_at", "spent_on", "amount", "status", "id"]
    search_fields = ["description", "activity__name"]

    def get_queryset(self):
        qs = selectors.expense_list(user=self.request.user)
        status_filter = choice_param(self.request, "status", ExpenseStatus.values)
        if status_filter:
            qs = qs.filter(status=status_filter)
        activity = id_param(self.request, "activity")
        if activity is not None:
            qs = qs.filter(activity_id=activity)
        return qs

    def _expense(self, pk):
        return selectors.expense_get(user=self.request.user, pk=pk)

    def retrieve(self, request, pk=None):
        return Response(ExpenseOutput(self._expense(pk)).data)

    @extend_schema(
        request={
            "multipart/form-data": OpenApiRequest(
                ExpenseInput, encoding={"receipt": {"contentType": ", ".join(RECEIPT_TYPES)}}
            )
        },
        responses={201: ExpenseOutput},
    )
    def create(self, request):
        data = ExpenseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # A member may only file for their own activity (others' answer 404).
        activity = activity_get(user=request.user, pk=values["activity"])
        currency = current_partner().currency
        vat = values.get("vat_amount")
        expense = services.expense_submit(
            activity=activity,
            amount=Money(values["amount"], currency),
            vat_amount=Money(vat, currency) if vat is not None else None,
            spent_on=values["spent_on"],
            category=values["category"],
            description=values["description"],
            receipt=values["receipt"],
            submitted_by=request.user,
        )
        return Response(ExpenseOutput(expense).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionInput, responses=ExpenseOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        expense = services.expense_approve(
            expense=self._expense(pk),
            decided_by=request.user,
            reason=data.validated_data.get("reason", ""),
        )
        return Response(ExpenseOutput(expense).data)

    @extend_schema(request=DecisionInput, responses=ExpenseOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        expense = services.expense_reject(
            expense=self._expense(pk),
            decided_by=request.user,
            reason=data.validated_data.get("reason", ""),
        )
        return Response(ExpenseOutput(expense).data)

    @extend_schema(
        responses={(200, media_type): OpenApiTypes.BINARY for media_type in RECEIPT_TYPES}
    )
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        """The receipt file, from this partner's own storage."""
        expense = self._expense(pk)
        storage = expense.receipt.storage
        if not expense.receipt.name or not storage.exists(expense.receipt.name):
            raise ExpenseNotFound(_("The receipt file is missing."))
        response = FileResponse(
            storage.open(expense.receipt.name, "rb"),
            as_attachment=True,
            filename=expense.receipt_name,
            content_type=expense.receipt_content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
