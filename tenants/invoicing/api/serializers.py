"""Input and output shapes of the invoicing API. Amounts travel as decimal strings with
the currency's digits ("119.00" in EUR, "1190" in KRW); VAT rates as fractions ("0.19")."""

from __future__ import annotations

from decimal import Decimal

from common.api import serializers
from common.api.fields import MoneyField
from common.money import round_amount
from tenants.invoicing.models import Client, CreditNote, Estimate, Invoice, Payment


def _amount(value, currency: str) -> str | None:
    return None if value is None else str(round_amount(Decimal(value), currency))


# --- Clients ---------------------------------------------------------------------------


class ClientInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2, min_length=2)
    kind = serializers.ChoiceField(choices=Client.Kind.choices, required=False)
    vat_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    language = serializers.CharField(max_length=10, required=False, allow_blank=True)


class ClientOutput(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "kind",
            "country",
            "vat_number",
            "address",
            "email",
            "language",
            "created_at",
            "updated_at",
        ]


# --- Lines -----------------------------------------------------------------------------


class LineInput(serializers.Serializer):
    """Decimal strings; exact bounds are checked by the services (``totals.line_parse``)."""

    description = serializers.CharField(max_length=500)
    quantity = serializers.DecimalField(max_digits=30, decimal_places=10)
    unit_price = serializers.DecimalField(max_digits=30, decimal_places=10)
    vat_rate = serializers.DecimalField(
        max_digits=12, decimal_places=8, required=False, allow_null=True
    )


def lines_output(document) -> list[dict]:
    currency = document.currency
    return [
        {
            "position": line.position,
            "description": line.description,
            "quantity": str(line.quantity.normalize()) if line.quantity else "0",
            "unit_price": str(line.unit_price),
            "vat_rate": str(line.vat_rate),
            "vat_rate_explicit": line.vat_rate_explicit,
            "amount_excl_vat": _amount(line.amount_excl_vat, currency),
            "vat_amount": _amount(line.vat_amount, currency),
        }
        for line in document.lines.all()
    ]


# --- Invoices --------------------------------------------------------------------------


class InvoiceInput(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    lines = LineInput(many=True, allow_empty=False, min_length=1, max_length=200)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    payment_terms_days = serializers.IntegerField(
        min_value=0, max_value=365, required=False, allow_null=True
    )


class InvoiceUpdateInput(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    lines = LineInput(many=True, allow_empty=False, min_length=1, max_length=200, required=False)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    payment_terms_days = serializers.IntegerField(
        min_value=0, max_value=365, required=False, allow_null=True
    )


class IssueInput(serializers.Serializer):
    issue_date = serializers.DateField(required=False)


class InvoiceOutput(serializers.ModelSerializer):
    client_name = serializers.SerializerMethodField()
    total_excl_vat = MoneyField()
    total_vat = MoneyField()
    total_incl_vat = MoneyField()
    amount_paid = MoneyField()
    amount_credited = MoneyField()
    amount_due = MoneyField()
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "status",
            "kind",
            "activity",
            "client",
            "client_name",
            "estimate",
            "currency",
            "issue_date",
            "due_date",
            "payment_terms_days",
            "total_excl_vat",
            "total_vat",
            "total_incl_vat",
            "amount_paid",
            "amount_credited",
            "amount_due",
            "vat_regime",
            "vat_mention",
            "language",
            "notes",
            "lines",
            "created_at",
            "issued_at",
        ]

    def get_lines(self, invoice) -> list[dict]:
        return lines_output(invoice)

    def get_client_name(self, invoice) -> str:
        # An issued invoice names the client as invoiced (as its PDF does), not as renamed.
        return (invoice.client_snapshot or {}).get("name") or invoice.client.name


class InvoiceExportOutput(InvoiceOutput):
    class Meta(InvoiceOutput.Meta):
        fields = [f for f in InvoiceOutput.Meta.fields if f not in ("lines", "notes")]


class PaymentInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=30, decimal_places=10)
    date = serializers.DateField()


class PaymentOutput(serializers.ModelSerializer):
    amount = MoneyField()
    share_excl_vat = MoneyField()
    fee_amount = MoneyField()
    date = serializers.DateField(source="received_on")

    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "amount",
            "currency",
            "date",
            "share_excl_vat",
            "fee_rate",
            "fee_amount",
            "created_at",
        ]


class CreditNoteInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    lines = LineInput(many=True, allow_empty=False, min_length=1, max_length=200, required=False)
    issue_date = serializers.DateField(required=False)


class CreditNoteOutput(serializers.ModelSerializer):
    total_excl_vat = MoneyField()
    total_vat = MoneyField()
    total_incl_vat = MoneyField()
    lines = serializers.SerializerMethodField()

    class Meta:
        model = CreditNote
        fields = [
            "id",
            "number",
            "invoice",
            "currency",
            "issue_date",
            "reason",
            "total_excl_vat",
            "total_vat",
            "total_incl_vat",
            "vat_mention",
            "lines",
            "created_at",
        ]

    def get_lines(self, note) -> list[dict]:
        return lines_output(note)


# --- Estimates -------------------------------------------------------------------------


class EstimateInput(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    lines = LineInput(many=True, allow_empty=False, min_length=1, max_length=200)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    valid_until = serializers.DateField(required=False, allow_null=True)


class EstimateUpdateInput(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    lines = LineInput(many=True, allow_empty=False, min_length=1, max_length=200, required=False)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    valid_until = serializers.DateField(required=False, allow_null=True)


class EstimateAcceptInput(serializers.Serializer):
    accepted_on = serializers.DateField()
    accepted_by = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=Estimate.AcceptanceMethod.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class EstimateRefuseInput(serializers.Serializer):
    refused_on = serializers.DateField()
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class EstimateInvoiceInput(serializers.Serializer):
    deposit_percent = serializers.DecimalField(
        max_digits=12, decimal_places=6, required=False, allow_null=True
    )
    deposit_amount = serializers.DecimalField(
        max_digits=30, decimal_places=10, required=False, allow_null=True
    )


class EstimateOutput(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    total_excl_vat = MoneyField()
    total_vat = MoneyField()
    total_incl_vat = MoneyField()
    lines = serializers.SerializerMethodField()
    invoices = serializers.SerializerMethodField()

    class Meta:
        model = Estimate
        fields = [
            "id",
            "number",
            "status",
            "activity",
            "client",
            "client_name",
            "currency",
            "issue_date",
            "valid_until",
            "total_excl_vat",
            "total_vat",
            "total_incl_vat",
            "vat_regime",
            "vat_mention",
            "language",
            "notes",
            "validated_by",
            "validated_at",
            "sent_at",
            "accepted_on",
            "accepted_by_name",
            "acceptance_method",
            "acceptance_note",
            "refused_on",
            "refusal_reason",
            "lines",
            "invoices",
            "created_at",
        ]

    def get_lines(self, estimate) -> list[dict]:
        return lines_output(estimate)

    def get_invoices(self, estimate) -> list[int]:
        return [invoice.pk for invoice in estimate.invoices.all()]


class EstimateExportOutput(EstimateOutput):
    class Meta(EstimateOutput.Meta):
        fields = [f for f in EstimateOutput.Meta.fields if f not in ("lines", "invoices", "notes")]
