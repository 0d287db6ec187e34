from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.api import serializers
from common.api.fields import BirthDateField, MoneyField, PasswordField
from common.money import MAX_DIGITS, round_amount
from common.tenancy import current_partner
from tenants.members.exceptions import LedgerInvalid
from tenants.members.models import (
    Activity,
    Consent,
    ConsentKind,
    LedgerEntry,
    LedgerKind,
    Member,
    MemberStatusChange,
    ShareSubscription,
)
from tenants.members.selectors import activity_balance


class MemberOutput(serializers.ModelSerializer):
    username = serializers.CharField(
        source="user.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "birth_date",
            "national_id",
            "iban",
            "status",
            "user",
            "username",
            "created_at",
            "updated_at",
        ]


class MemberInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    birth_date = BirthDateField(required=False, allow_null=True)
    national_id = serializers.CharField(max_length=40, required=False, allow_blank=True)
    iban = serializers.CharField(max_length=42, required=False, allow_blank=True)


class StatusChangeInput(serializers.Serializer):
    effective_on = serializers.DateField(required=False)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class StatusChangeOutput(serializers.ModelSerializer):
    changed_by = serializers.CharField(
        source="changed_by.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = MemberStatusChange
        fields = ["id", "from_status", "to_status", "effective_on", "reason", "changed_by"]


class LoginInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = PasswordField(max_length=256)


class ShareOutput(serializers.ModelSerializer):
    total = serializers.SerializerMethodField()

    class Meta:
        model = ShareSubscription
        fields = [
            "id",
            "member",
            "count",
            "nominal_value",
            "currency",
            "total",
            "subscribed_on",
            "paid",
            "paid_on",
        ]

    def get_total(self, obj) -> str:
        return str(obj.nominal_value * obj.count)


class ShareInput(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=1_000_000)
    subscribed_on = serializers.DateField(required=False)


class SharePaidInput(serializers.Serializer):
    paid_on = serializers.DateField(required=False)


class ConsentOutput(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ["id", "member", "kind", "text_version", "given_at", "withdrawn_at"]


class ConsentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConsentKind.choices)
    text_version = serializers.CharField(max_length=40)


class ActivityOutput(serializers.ModelSerializer):
    balance = serializers.SerializerMethodField(help_text="Decimal string, partner currency.")
    currency = serializers.SerializerMethodField()
    member_name = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "member",
            "member_name",
            "name",
            "sector",
            "description",
            "status",
            "started_on",
            "balance",
            "currency",
            "created_at",
        ]

    def get_balance(self, obj) -> str:
        value = getattr(obj, "balance_amount", None)
        if value is None:
            return str(activity_balance(activity=obj).amount)
        return str(round_amount(value, self.get_currency(obj)))

    def get_currency(self, obj) -> str:
        return current_partner().currency

    def get_member_name(self, obj) -> str:
        return str(obj.member)


class ActivityInput(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    name = serializers.CharField(max_length=200)
    sector = serializers.CharField(max_length=10)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    started_on = serializers.DateField(required=False, allow_null=True)


class ActivityUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    sector = serializers.CharField(max_length=10, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    started_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.CharField(max_length=20, required=False)


class LedgerEntryOutput(serializers.ModelSerializer):
    amount = MoneyField()
    source_type = serializers.SerializerMethodField()
    created_by = serializers.CharField(
        source="created_by.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "activity",
            "kind",
            "amount",
            "currency",
            "booked_on",
            "description",
            "rule",
            "source_type",
            "source_id",
            "corrects",
            "created_by",
            "created_at",
        ]

    def get_source_type(self, obj) -> str | None:
        return f"{obj.source_type.app_label}.{obj.source_type.model}" if obj.source_type else None


class LedgerPostInput(serializers.Serializer):
    """A manual entry by the accounting team (not a correction: use ``correct``)."""

    kind = serializers.ChoiceField(
        choices=[c for c in LedgerKind.choices if c[0] != LedgerKind.CORRECTION]
    )
    amount = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=3)
    booked_on = serializers.DateField()
    description = serializers.CharField(max_length=255)

    def validate_amount(self, value):
        # An entry is never edited or deleted: a zero line would stay in the account forever
        # and mean nothing. A rule, not a shape (the schema cannot say "not zero"), so the
        # ledger's own error.
        if value == 0:
            raise LedgerInvalid(
                extra={"fields": {"amount": [_("A manual entry needs a non-zero amount.")]}}
            )
        return value


class LedgerCorrectInput(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=MAX_DIGITS,
        decimal_places=3,
        help_text="What the entry should have been (signed); 0 cancels it.",
    )
    reason = serializers.CharField(max_length=500)
    booked_on = serializers.DateField(required=False)
