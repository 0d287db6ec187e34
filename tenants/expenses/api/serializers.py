from __future__ import annotations

from common.api import serializers
from common.api.fields import MoneyField
from common.money import MAX_DIGITS
from tenants.expenses.models import Expense, ExpenseCategory


class ExpenseOutput(serializers.ModelSerializer):
    amount = MoneyField()
    vat_amount = MoneyField()
    receipt_url = serializers.SerializerMethodField(
        help_text="Authenticated download; there is no public URL for receipts."
    )
    decided_by = serializers.CharField(
        source="decided_by.username", default=None, allow_null=True, read_only=True
    )
    member = serializers.IntegerField(source="activity.member_id")

    class Meta:
        model = Expense
        fields = [
            "id",
            "activity",
            "member",
            "amount",
            "vat_amount",
            "currency",
            "spent_on",
            "category",
            "description",
            "receipt_name",
            "receipt_content_type",
            "receipt_size",
            "receipt_url",
            "status",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "ledger_entry",
        ]

    def get_receipt_url(self, obj) -> str:
        return f"/api/v1/expenses/{obj.pk}/receipt/"


class ExpenseInput(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    amount = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=3)
    vat_amount = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=3, required=False)
    spent_on = serializers.DateField()
    category = serializers.ChoiceField(choices=ExpenseCategory.choices)
    description = serializers.CharField(max_length=255)
    receipt = serializers.FileField(max_length=200, allow_empty_file=False)


class DecisionInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
