from __future__ import annotations

from django.utils.translation import gettext as _

from common.api import serializers
from tenants.partner_settings.models import FeeRate, PartnerSettings


class FeeRateOutput(serializers.ModelSerializer):
    class Meta:
        model = FeeRate
        fields = ["rate", "effective_from", "note"]


class SettingsOutput(serializers.ModelSerializer):
    fee_rate = serializers.SerializerMethodField(help_text="Fraction in force today.")
    fee_rates = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()

    class Meta:
        model = PartnerSettings
        fields = [
            "country",
            "currency",
            "fee_rate",
            "fee_rates",
            "guarantee_fund_share",
            "fund_overdue_days",
            "invoice_number_format",
            "estimate_requires_validation",
            "payment_terms_days",
            "share_nominal_value",
            "company_id",
            "chart_of_accounts",
            "updated_at",
        ]

    def get_fee_rate(self, obj) -> str | None:
        return self.context.get("fee_rate")

    def get_fee_rates(self, obj) -> list:
        return FeeRateOutput(self.context.get("fee_rates", []), many=True).data

    def get_country(self, obj) -> str:
        return self.context.get("country", "")

    def get_currency(self, obj) -> str:
        return self.context.get("currency", "")


class SettingsInput(serializers.Serializer):
    """Every field optional (PATCH). Fractions as decimal strings: ``"0.0700"`` = 7 %."""

    refuses_unknown_fields = True

    fee_rate = serializers.DecimalField(max_digits=5, decimal_places=4, required=False)
    fee_rate_effective_from = serializers.DateField(required=False)
    guarantee_fund_share = serializers.DecimalField(max_digits=5, decimal_places=4, required=False)
    fund_overdue_days = serializers.IntegerField(required=False)
    invoice_number_format = serializers.CharField(max_length=60, required=False)
    estimate_requires_validation = serializers.BooleanField(required=False)
    payment_terms_days = serializers.IntegerField(required=False)
    share_nominal_value = serializers.DecimalField(max_digits=18, decimal_places=3, required=False)
    company_id = serializers.CharField(max_length=20, required=False, allow_blank=True)
    # An object (the service checks its sections); null or a list is refused here.
    chart_of_accounts = serializers.DictField(required=False)

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Unknown setting.")] for name in sorted(unknown)}
            )
        return attrs
