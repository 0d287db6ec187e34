from __future__ import annotations

from common.api import serializers
from common.api.fields import MoneyField
from common.money import MAX_DIGITS
from tenants.payroll.fund_models import FundMovement


class FundMovementOutput(serializers.ModelSerializer):
    amount = MoneyField()
    outstanding_change = MoneyField()
    created_by = serializers.CharField(
        source="created_by.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = FundMovement
        fields = [
            "id",
            "kind",
            "amount",
            "outstanding_change",
            "currency",
            "booked_on",
            "description",
            "rule",
            "activity",
            "ledger_entry",
            "invoice_id",
            "reason",
            "created_by",
            "created_at",
        ]


class FundSummaryOutput(serializers.Serializer):
    balance = serializers.CharField(help_text="Money available to the fund (decimal string).")
    outstanding_advances = serializers.CharField()
    currency = serializers.CharField()
    guarantee_fund_share = serializers.CharField(help_text="Fraction of each fee (0.1 = 10 %).")
    fund_overdue_days = serializers.IntegerField()


class EligibleInvoiceOutput(serializers.Serializer):
    invoice = serializers.IntegerField(source="invoice.pk")
    number = serializers.CharField(source="invoice.number")
    activity = serializers.IntegerField(source="invoice.activity_id")
    due_date = serializers.DateField(source="invoice.due_date")
    amount_due = MoneyField(source="invoice.amount_due", currency_source="invoice.currency")
    max_advance = MoneyField(currency_source="invoice.currency")


class AdvanceInput(serializers.Serializer):
    invoice = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    amount = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=3)


class WriteOffInput(serializers.Serializer):
    invoice = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.CharField(max_length=2000)
    amount = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=3, required=False)
