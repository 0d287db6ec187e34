from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

from common.api import serializers
from tenants.partner_settings.models import ContributionRate, FeeRate, PartnerSettings


class FeeRateOutput(serializers.ModelSerializer):
    class Meta:
        model = FeeRate
        fields = ["rate", "effective_from", "note"]


class ContributionRateOutput(serializers.ModelSerializer):
    class Meta:
        model = ContributionRate
        fields = ["rate", "effective_from", "note"]


class CharterBoundsOutput(serializers.Serializer):
    """The charter of the partner's tier in force today, as it bounds these settings."""

    version = serializers.CharField()
    tier = serializers.CharField()
    effective_from = serializers.DateField()
    fee_rate_min = serializers.DecimalField(max_digits=5, decimal_places=4)
    fee_rate_max = serializers.DecimalField(max_digits=5, decimal_places=4)
    contribution_rate = serializers.DecimalField(max_digits=5, decimal_places=4)
    share_remuneration_cap = serializers.DecimalField(max_digits=5, decimal_places=4)
    min_hq_board_seats = serializers.IntegerField()


class SettingsOutput(serializers.ModelSerializer):
    fee_rate = serializers.SerializerMethodField(help_text="Fraction in force today.")
    fee_rates = serializers.SerializerMethodField()
    contribution_rate = serializers.SerializerMethodField(
        help_text="Federation contribution rate in force today (fraction)."
    )
    contribution_rates = serializers.SerializerMethodField()
    charter = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()

    class Meta:
        model = PartnerSettings
        fields = [
            "country",
            "currency",
            "fee_rate",
            "fee_rates",
            "contribution_rate",
            "contribution_rates",
            "share_remuneration_rate",
            "hq_board_seats",
            "charter",
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

    def get_contribution_rate(self, obj) -> str | None:
        return self.context.get("contribution_rate")

    def get_contribution_rates(self, obj) -> list:
        return ContributionRateOutput(self.context.get("contribution_rates", []), many=True).data

    @extend_schema_field(CharterBoundsOutput(allow_null=True))
    def get_charter(self, obj):
        charter = self.context.get("charter")
        return None if charter is None else CharterBoundsOutput(charter).data

    def get_country(self, obj) -> str:
        return self.context.get("country", "")

    def get_currency(self, obj) -> str:
        return self.context.get("currency", "")


class SettingsInput(serializers.Serializer):
    """Every field optional (PATCH). Fractions as decimal strings: ``"0.0700"`` = 7 %."""

    refuses_unknown_fields = True

    fee_rate = serializers.DecimalField(max_digits=5, decimal_places=4, required=False)
    fee_rate_effective_from = serializers.DateField(required=False)
    contribution_rate = serializers.DecimalField(max_digits=5, decimal_places=4, required=False)
    contribution_rate_effective_from = serializers.DateField(required=False)
    share_remuneration_rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, required=False
    )
    hq_board_seats = serializers.IntegerField(required=False, min_value=0, max_value=50)
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
