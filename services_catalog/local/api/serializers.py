from common.api import serializers
from common.api.fields import MoneyField
from common.money import DECIMAL_PLACES, MAX_DIGITS
from services_catalog.local.models import (
    PricingModel,
    Service,
    ServiceCharge,
    ServiceUse,
    Subscription,
)
from services_catalog.translated_fields import TranslatedOutput, TranslatedText

PERCENTAGE_HELP = (
    "Percent of the turnover the activity collects in the month, from 0 to 100 "
    "(\"1.5\" means 1.5 %). Only for pricing_model 'percentage'."
)
PRICE_HELP = (
    "Decimal string in the partner's currency, >= 0. For flat_monthly (per month), "
    "flat_yearly (per year) and per_use (per use)."
)


class ServiceOutput(TranslatedOutput, serializers.ModelSerializer):
    price_amount = MoneyField(allow_null=True, help_text=PRICE_HELP)
    percentage = serializers.DecimalField(
        max_digits=7, decimal_places=4, allow_null=True, read_only=True, help_text=PERCENTAGE_HELP
    )

    class Meta:
        model = Service
        fields = [
            "id",
            "code",
            "reference_code",
            "name",
            "description",
            "language",
            "translations",
            "pricing_model",
            "price_amount",
            "currency",
            "percentage",
            "available_from",
            "available_until",
            "created_at",
            "updated_at",
        ]


class ServiceInput(serializers.Serializer):
    code = serializers.CharField(max_length=60, help_text="Local code, e.g. grant_help_se.")
    reference_code = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="The reference service implemented (e.g. grant_help); empty: local only.",
    )
    name = TranslatedText(
        max_length=200,
        help_text='By language, e.g. {"sv": "Bidragshjälp", "en": "Grant help"}; '
        "the partner's default language is required.",
    )
    description = TranslatedText(required=False)
    pricing_model = serializers.ChoiceField(choices=PricingModel.choices)
    price_amount = serializers.DecimalField(
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        required=False,
        allow_null=True,
        help_text=PRICE_HELP,
    )
    currency = serializers.CharField(
        max_length=3,
        required=False,
        help_text="Optional; when given it must be the partner's currency (ISO 4217).",
    )
    percentage = serializers.DecimalField(
        max_digits=7, decimal_places=4, required=False, allow_null=True, help_text=PERCENTAGE_HELP
    )
    available_from = serializers.DateField()
    available_until = serializers.DateField(
        required=False, allow_null=True, help_text="Last day, inclusive."
    )


class ServiceUpdate(ServiceInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class SubscriptionOutput(serializers.ModelSerializer):
    service_code = serializers.CharField(source="service.code", read_only=True)
    reference_code = serializers.CharField(source="service.reference_code", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "member",
            "activity",
            "service",
            "service_code",
            "reference_code",
            "starts_on",
            "ends_on",
            "created_at",
        ]


class SubscriptionInput(serializers.Serializer):
    service = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The service's id."
    )
    activity = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="The activity charged; its member is the subscriber. A member gives one "
        "of their own activities.",
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, help_text="Inclusive.")


class SubscriptionEndInput(serializers.Serializer):
    ends_on = serializers.DateField(help_text="The last day of the subscription (inclusive).")


class ChargeOutput(serializers.ModelSerializer):
    amount = MoneyField()
    month = serializers.SerializerMethodField()
    ledger_entry = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ServiceCharge
        fields = ["id", "month", "period", "amount", "currency", "rule", "ledger_entry"]

    def get_month(self, charge) -> str:
        return f"{charge.period:%Y-%m}"


class UseOutput(serializers.ModelSerializer):
    class Meta:
        model = ServiceUse
        fields = ["id", "used_on", "quantity", "note", "recorded_at"]


class UseInput(serializers.Serializer):
    used_on = serializers.DateField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, required=False)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)
