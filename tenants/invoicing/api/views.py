"""``clients/``, ``invoices/`` (+ ``issue/``, ``credit-note/``, ``credit-notes/``,
``payments/``, ``pdf/``) and ``estimates/`` (+ ``validate/``, ``send/``, ``accept/``,
``refuse/``, ``invoice/``).

Roles, per action:

- read (lists, details, PDFs, payments): admin, advisor, accountant, member — a member
  only sees their own activities' documents and the clients they created or invoice;
- clients, draft invoices and estimates (create, change, delete), issuing an invoice,
  sending an estimate, recording the client's answer, invoicing an estimate: admin,
  advisor, member (for their own activities);
- validating an estimate for a member: admin, advisor;
- recording a payment: admin, accountant;
- issuing a credit note (cancelling all or part of an invoice): admin, advisor, accountant.

Another member's or partner's object answers 404; an unknown id in a body answers 400.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.accounts.models import Role
from common.api.export import ExportMixin
from common.api.params import choice_param, date_param, id_param, text_param
from common.api.permissions import HasRole
from common.api.schema import also_answers, id_parameter, text_parameter
from tenants.invoicing import pdf, selectors
from tenants.invoicing.api import serializers as s
from tenants.invoicing.exceptions import InvoiceStateInvalid, InvoicingInvalid, ObjectNotFound
from tenants.invoicing.models import Estimate, Invoice
from tenants.invoicing.services import clients, credit_notes, estimates, invoices, payments
from tenants.members.exceptions import ActivityNotFound
from tenants.members.selectors import activity_get

ALL = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT, Role.MEMBER)
WRITERS = (Role.ADMIN, Role.ADVISOR, Role.MEMBER)
ADVISING = (Role.ADMIN, Role.ADVISOR)
PAYMENTS = (Role.ADMIN, Role.ACCOUNTANT)
CREDIT = (Role.ADMIN, Role.ADVISOR, Role.ACCOUNTANT)


def _body_ref(getter, field: str):
    """Resolve an id given in a request body; unknown or invisible gives 400."""
    try:
        return getter()
    except (ObjectNotFound, ActivityNotFound):
        if field == "client":
            message, detail = _("Unknown client."), _("No such client.")
        else:
            message, detail = _("Unknown activity."), _("No such activity.")
        raise InvoicingInvalid(message, {"fields": {field: [detail]}}) from None


def _document_filters(request) -> dict:
    """The list filters of invoices and estimates (see ``selectors.invoice_list``), parsed
    strictly: a malformed date or id answers 400 naming the parameter."""
    params = request.query_params
    dates = ("issued_from", "issued_to", "created_from", "created_to", "due_before")
    return {
        **{name: date_param(request, name) for name in dates},
        **{name: id_param(request, name) for name in ("activity", "client")},
        "status": params.get("status", ""),
        "kind": choice_param(request, "kind", Invoice.Kind.values) or "",
        "overdue": params.get("overdue") in ("1", "true", "yes"),
    }


def _valid(serializer_class, data, partial=False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _document_filter_parameters(statuses) -> list[OpenApiParameter]:
    """The filters of ``selectors._filter_documents``, for the schema."""
    return [
        OpenApiParameter(
            "status",
            {"type": "array", "items": {"type": "string", "enum": list(statuses)}},
            style="form",
            explode=False,
            description="Comma-separated statuses.",
        ),
        id_parameter("activity", "The activity's id."),
        id_parameter("client", "The client's id."),
        OpenApiParameter("issued_from", OpenApiTypes.DATE, description="Issued on or after."),
        OpenApiParameter("issued_to", OpenApiTypes.DATE, description="Issued on or before."),
        OpenApiParameter("created_from", OpenApiTypes.DATE, description="Created on or after."),
        OpenApiParameter("created_to", OpenApiTypes.DATE, description="Created on or before."),
    ]


@extend_schema_view(
    list=extend_schema(
        parameters=[text_parameter("country", "ISO 3166-1 alpha-2 code (any case).", max_length=2)]
    )
)
class ClientViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = {"list": ALL, "retrieve": ALL, "*": WRITERS}
    serializer_class = s.ClientOutput
    export_filename = "clients"
    ordering_fields = ["name", "country", "created_at", "id"]
    search_fields = ["name", "vat_number", "email"]

    def get_queryset(self):
        qs = selectors.client_list(user=self.request.user)
        country = text_param(self.request, "country", max_length=2)
        if country:
            qs = qs.filter(country=country.upper())
        return qs

    def retrieve(self, request, pk=None):
        return Response(s.ClientOutput(selectors.client_get(user=request.user, pk=pk)).data)

    @extend_schema(request=s.ClientInput, responses={201: s.ClientOutput})
    def create(self, request):
        data = _valid(s.ClientInput, request.data)
        client = clients.client_create(created_by=request.user, **data)
        return Response(s.ClientOutput(client).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ClientInput, responses=s.ClientOutput)
    def partial_update(self, request, pk=None):
        client = selectors.client_get(user=request.user, pk=pk)
        data = _valid(s.ClientInput, request.data, partial=True)
        client = clients.client_update(client=client, data=data, updated_by=request.user)
        return Response(s.ClientOutput(client).data)

    def destroy(self, request, pk=None):
        client = selectors.client_get(user=request.user, pk=pk)
        clients.client_delete(client=client, deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            *_document_filter_parameters(Invoice.Status.values),
            OpenApiParameter("kind", str, enum=Invoice.Kind.values),
            OpenApiParameter("due_before", OpenApiTypes.DATE, description="Due before."),
            OpenApiParameter(
                "overdue",
                str,
                description="true (or 1, yes): only issued or partly paid invoices past "
                "their due date; any other value: no filter.",
            ),
        ]
    )
)
class InvoiceViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = {
        "list": ALL,
        "retrieve": ALL,
        "pdf": ALL,
        "credit_notes": ALL,
        "credit_note_pdf": ALL,
        "create": WRITERS,
        "partial_update": WRITERS,
        "destroy": WRITERS,
        "issue": WRITERS,
        "credit_note": CREDIT,
        "payments": {"get": ALL, "post": PAYMENTS},
    }
    serializer_class = s.InvoiceOutput
    export_serializer_class = s.InvoiceExportOutput
    export_filename = "invoices"
    ordering_fields = [
        "created_at",
        "issue_date",
        "due_date",
        "number",
        "status",
        "total_incl_vat",
        "amount_due",
        "id",
    ]
    search_fields = ["number", "client__name"]

    def get_permissions(self):
        # The payments action has different roles for reading and recording.
        if getattr(self, "action", None) == "payments":
            self.roles = {
                **type(self).roles,
                "payments": type(self).roles["payments"][
                    "post" if self.request.method == "POST" else "get"
                ],
            }
        return super().get_permissions()

    def get_queryset(self):
        return selectors.invoice_list(
            user=self.request.user, filters=_document_filters(self.request)
        )

    def _invoice(self, pk) -> Invoice:
        return selectors.invoice_get(user=self.request.user, pk=pk)

    def _refs(self, data: dict) -> dict:
        user = self.request.user
        refs = {}
        if "activity" in data:
            refs["activity"] = _body_ref(
                lambda: activity_get(user=user, pk=data["activity"]), "activity"
            )
        if "client" in data:
            refs["client"] = _body_ref(
                lambda: selectors.client_get(user=user, pk=data["client"]), "client"
            )
        return refs

    def retrieve(self, request, pk=None):
        return Response(s.InvoiceOutput(self._invoice(pk)).data)

    @extend_schema(request=s.InvoiceInput, responses={201: s.InvoiceOutput})
    def create(self, request):
        data = _valid(s.InvoiceInput, request.data)
        invoice = invoices.invoice_create(
            **self._refs(data),
            lines=[dict(line) for line in data["lines"]],
            notes=data.get("notes", ""),
            payment_terms_days=data.get("payment_terms_days"),
            created_by=request.user,
        )
        return Response(s.InvoiceOutput(invoice).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.InvoiceUpdateInput, responses=s.InvoiceOutput)
    def partial_update(self, request, pk=None):
        invoice = self._invoice(pk)
        data = _valid(s.InvoiceUpdateInput, request.data)
        kwargs = {}
        if "lines" in data:
            kwargs["lines"] = [dict(line) for line in data["lines"]]
        if "notes" in data:
            kwargs["notes"] = data["notes"]
        if "payment_terms_days" in data:
            kwargs["payment_terms_days"] = data["payment_terms_days"]
        invoice = invoices.invoice_update(
            invoice=invoice, updated_by=request.user, **self._refs(data), **kwargs
        )
        return Response(s.InvoiceOutput(self._invoice(invoice.pk)).data)

    def destroy(self, request, pk=None):
        invoices.invoice_delete(invoice=self._invoice(pk), deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.IssueInput, responses=s.InvoiceOutput)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        invoice = self._invoice(pk)
        data = _valid(s.IssueInput, request.data)
        invoice = invoices.invoice_issue(
            invoice=invoice, issued_by=request.user, issue_date=data.get("issue_date")
        )
        return Response(s.InvoiceOutput(self._invoice(invoice.pk)).data)

    @extend_schema(request=s.CreditNoteInput, responses={201: s.CreditNoteOutput})
    @action(detail=True, methods=["post"], url_path="credit-note")
    def credit_note(self, request, pk=None):
        invoice = self._invoice(pk)
        data = _valid(s.CreditNoteInput, request.data)
        lines = data.get("lines")
        note = credit_notes.invoice_credit_note_create(
            invoice=invoice,
            reason=data["reason"],
            lines=[dict(line) for line in lines] if lines is not None else None,
            issue_date=data.get("issue_date"),
            created_by=request.user,
        )
        return Response(s.CreditNoteOutput(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.CreditNoteOutput(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="credit-notes",
        pagination_class=None,
        filter_backends=[],
    )
    def credit_notes(self, request, pk=None):
        notes = selectors.credit_note_list(invoice=self._invoice(pk))
        return Response(s.CreditNoteOutput(notes, many=True).data)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        parameters=[OpenApiParameter("note_id", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["get"], url_path=r"credit-notes/(?P<note_id>[0-9]+)/pdf")
    def credit_note_pdf(self, request, pk=None, note_id=None):
        note = selectors.credit_note_list(invoice=self._invoice(pk)).filter(pk=note_id).first()
        if note is None:
            raise ObjectNotFound()
        return _pdf_response(pdf.credit_note_pdf(credit_note=note), f"{note.number}.pdf")

    @extend_schema(methods=["GET"], responses=s.PaymentOutput(many=True))
    @extend_schema(methods=["POST"], request=s.PaymentInput, responses={201: s.PaymentOutput})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def payments(self, request, pk=None):
        invoice = self._invoice(pk)
        if request.method == "GET":
            return Response(
                s.PaymentOutput(selectors.payment_list(invoice=invoice), many=True).data
            )
        data = _valid(s.PaymentInput, request.data)
        payment = payments.invoice_payment_record(
            invoice=invoice,
            amount=data["amount"],
            received_on=data["date"],
            recorded_by=request.user,
        )
        return Response(s.PaymentOutput(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @also_answers(409)
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        invoice = self._invoice(pk)
        if invoice.status == Invoice.Status.DRAFT:
            raise InvoiceStateInvalid(_("A draft has no PDF: issue the invoice first."))
        return _pdf_response(pdf.invoice_pdf(invoice=invoice), f"{invoice.number}.pdf")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@extend_schema_view(
    list=extend_schema(parameters=_document_filter_parameters(Estimate.Status.values))
)
class EstimateViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRole]
    roles = {
        "list": ALL,
        "retrieve": ALL,
        "validate": ADVISING,
        "*": WRITERS,
    }
    serializer_class = s.EstimateOutput
    export_serializer_class = s.EstimateExportOutput
    export_filename = "estimates"
    ordering_fields = ["created_at", "issue_date", "number", "status", "total_incl_vat", "id"]
    search_fields = ["number", "client__name"]

    def get_queryset(self):
        return selectors.estimate_list(
            user=self.request.user, filters=_document_filters(self.request)
        )

    def _estimate(self, pk):
        return selectors.estimate_get(user=self.request.user, pk=pk)

    def _out(self, estimate, code=status.HTTP_200_OK) -> Response:
        return Response(s.EstimateOutput(self._estimate(estimate.pk)).data, status=code)

    def retrieve(self, request, pk=None):
        return Response(s.EstimateOutput(self._estimate(pk)).data)

    @extend_schema(request=s.EstimateInput, responses={201: s.EstimateOutput})
    def create(self, request):
        data = _valid(s.EstimateInput, request.data)
        refs = InvoiceViewSet._refs(self, data)
        estimate = estimates.estimate_create(
            **refs,
            lines=[dict(line) for line in data["lines"]],
            notes=data.get("notes", ""),
            valid_until=data.get("valid_until"),
            created_by=request.user,
        )
        return self._out(estimate, status.HTTP_201_CREATED)

    @extend_schema(request=s.EstimateUpdateInput, responses=s.EstimateOutput)
    def partial_update(self, request, pk=None):
        estimate = self._estimate(pk)
        data = _valid(s.EstimateUpdateInput, request.data)
        kwargs = dict(InvoiceViewSet._refs(self, data))
        if "lines" in data:
            kwargs["lines"] = [dict(line) for line in data["lines"]]
        for field in ("notes", "valid_until"):
            if field in data:
                kwargs[field] = data[field]
        estimate = estimates.estimate_update(estimate=estimate, updated_by=request.user, **kwargs)
        return self._out(estimate)

    def destroy(self, request, pk=None):
        estimates.estimate_delete(estimate=self._estimate(pk), deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.EstimateOutput)
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        estimate = estimates.estimate_validate(
            estimate=self._estimate(pk), validated_by=request.user
        )
        return self._out(estimate)

    @extend_schema(request=None, responses=s.EstimateOutput)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        estimate = estimates.estimate_send(estimate=self._estimate(pk), sent_by=request.user)
        return self._out(estimate)

    @extend_schema(request=s.EstimateAcceptInput, responses=s.EstimateOutput)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        estimate = self._estimate(pk)
        data = _valid(s.EstimateAcceptInput, request.data)
        estimate = estimates.estimate_accept(
            estimate=estimate,
            accepted_on=data["accepted_on"],
            accepted_by_name=data["accepted_by"],
            method=data["method"],
            note=data.get("note", ""),
            recorded_by=request.user,
        )
        return self._out(estimate)

    @extend_schema(request=s.EstimateRefuseInput, responses=s.EstimateOutput)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        estimate = self._estimate(pk)
        data = _valid(s.EstimateRefuseInput, request.data)
        estimate = estimates.estimate_refuse(
            estimate=estimate,
            refused_on=data["refused_on"],
            reason=data.get("reason", ""),
            recorded_by=request.user,
        )
        return self._out(estimate)

    @extend_schema(request=s.EstimateInvoiceInput, responses={201: s.InvoiceOutput})
    @action(detail=True, methods=["post"])
    def invoice(self, request, pk=None):
        estimate = self._estimate(pk)
        data = _valid(s.EstimateInvoiceInput, request.data)
        invoice = estimates.estimate_invoice(
            estimate=estimate,
            deposit_percent=data.get("deposit_percent"),
            deposit_amount=data.get("deposit_amount"),
            created_by=request.user,
        )
        invoice = selectors.invoice_get(user=request.user, pk=invoice.pk)
        return Response(s.InvoiceOutput(invoice).data, status=status.HTTP_201_CREATED)
