from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

from common.api import serializers
from common.api.fields import MoneyField
from shared.charter.enforcement import charter_ref, unmet_message
from shared.charter.models import (
    AnnualReport,
    Charter,
    CharterFinding,
    ReportFigure,
    ReportingFrequency,
)
from shared.charter.selectors import charter_in_force, report_due_on
from tenants.partners.models import Tier
from tenants.partners.selectors import partner_tier_on

FRACTION = {"max_digits": 5, "decimal_places": 4}


class CharterRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    tier = serializers.CharField()
    effective_from = serializers.DateField()
    version = serializers.CharField(help_text="How messages name it: tier@effective_from.")


class CharterOutput(serializers.ModelSerializer):
    version = serializers.CharField(read_only=True)
    in_force = serializers.SerializerMethodField(
        help_text="True once the version has taken effect (it is then never edited)."
    )

    class Meta:
        model = Charter
        fields = [
            "id",
            "version",
            "tier",
            "effective_from",
            "in_force",
            "fee_rate_min",
            "fee_rate_max",
            "contribution_rate",
            "no_profit_distribution",
            "share_remuneration_cap",
            "min_hq_board_seats",
            "reporting_frequency",
            "report_due_months",
            "report_figures",
            "small_count_min",
            "dominance_max",
            "note",
            "created_by",
            "created_at",
        ]

    def get_in_force(self, charter) -> bool:
        return charter.effective_from <= timezone.localdate()


class CharterFields(serializers.Serializer):
    """A version's own fields, all optional (a new version copies those not given from
    the version in force on its date). Fractions as decimal strings: ``"0.0700"`` = 7 %."""

    refuses_unknown_fields = True

    fee_rate_min = serializers.DecimalField(**FRACTION, required=False)
    fee_rate_max = serializers.DecimalField(**FRACTION, required=False)
    contribution_rate = serializers.DecimalField(**FRACTION, required=False)
    no_profit_distribution = serializers.BooleanField(required=False)
    share_remuneration_cap = serializers.DecimalField(**FRACTION, required=False)
    min_hq_board_seats = serializers.IntegerField(required=False, min_value=0, max_value=20)
    reporting_frequency = serializers.ChoiceField(
        choices=ReportingFrequency.choices, required=False
    )
    report_due_months = serializers.IntegerField(required=False, min_value=1, max_value=24)
    report_figures = serializers.ListField(
        child=serializers.ChoiceField(choices=ReportFigure.choices),
        required=False,
        max_length=len(ReportFigure.values),
    )
    small_count_min = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    dominance_max = serializers.DecimalField(**FRACTION, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Unknown field.")] for name in sorted(unknown)}
            )
        return attrs


class CharterInput(CharterFields):
    tier = serializers.ChoiceField(choices=Tier.choices)
    effective_from = serializers.DateField(help_text="Today or later.")


class FindingOutput(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.slug", read_only=True)
    message = serializers.SerializerMethodField(help_text="In the reader's language.")
    charter = serializers.SerializerMethodField()

    class Meta:
        model = CharterFinding
        fields = [
            "id",
            "partner",
            "kind",
            "subject",
            "status",
            "opened_on",
            "resolved_on",
            "message",
            "detail",
            "charter",
            "updated_at",
        ]

    def get_message(self, finding) -> str:
        return unmet_message(finding.kind, finding.subject, finding.detail, finding.charter)

    @extend_schema_field(CharterRefOutput(allow_null=True))
    def get_charter(self, finding):
        return charter_ref(finding.charter)


class AnnualReportOutput(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.slug", read_only=True)
    operating_result = MoneyField(allow_null=True)
    equity = MoneyField(allow_null=True)
    hq_capital = MoneyField(allow_null=True)
    hq_current_account = MoneyField(allow_null=True)
    due_on = serializers.SerializerMethodField(
        help_text="Last day to file it under the charter of the year (null: not required)."
    )
    late = serializers.SerializerMethodField(help_text="Filed after the due date.")

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "partner",
            "year",
            "currency",
            "operating_result",
            "equity",
            "staff_fte",
            "hq_capital",
            "hq_current_account",
            "hq_voting_share",
            "filed_on",
            "filed_by",
            "due_on",
            "late",
            "updated_at",
        ]

    def _due(self, report):
        year_end = dt.date(report.year, 12, 31)
        # Before the partner was in the registry, no charter asked it for a report.
        tier = partner_tier_on(partner=report.partner, on=year_end)
        if tier is None:
            return None
        charter = charter_in_force(tier, year_end)
        return report_due_on(report.year, charter) if charter.requires_annual_report else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_due_on(self, report):
        return self._due(report)

    def get_late(self, report) -> bool:
        due = self._due(report)
        return due is not None and report.filed_on > due


class AnnualReportFigures(serializers.Serializer):
    """The figures, each optional (those the charter of the year asks for are required
    when filing). Amounts in the partner's currency, ``staff_fte`` in full-time
    equivalents, ``hq_voting_share`` a fraction (``"0.1100"`` = 11 %)."""

    refuses_unknown_fields = True

    operating_result = serializers.DecimalField(
        max_digits=18, decimal_places=3, required=False, allow_null=True
    )
    equity = serializers.DecimalField(
        max_digits=18, decimal_places=3, required=False, allow_null=True
    )
    staff_fte = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, allow_null=True
    )
    hq_capital = serializers.DecimalField(
        max_digits=18, decimal_places=3, required=False, allow_null=True
    )
    hq_current_account = serializers.DecimalField(
        max_digits=18, decimal_places=3, required=False, allow_null=True
    )
    hq_voting_share = serializers.DecimalField(**FRACTION, required=False, allow_null=True)

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {name: [_("Unknown field.")] for name in sorted(unknown)}
            )
        return attrs


class AnnualReportInput(AnnualReportFigures):
    year = serializers.IntegerField(min_value=1998, max_value=2200)
    currency = serializers.CharField(max_length=3, required=False)
