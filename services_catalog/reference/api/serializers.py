from common.api import serializers
from services_catalog.reference.models import (
    Category,
    CoverageSnapshot,
    Level,
    ReferenceService,
    TierRequirement,
)
from services_catalog.translated_fields import TranslatedOutput, TranslatedText
from tenants.partners.models import Tier


class RequirementOutput(serializers.ModelSerializer):
    code = serializers.CharField(source="service.code", read_only=True)

    class Meta:
        model = TierRequirement
        fields = ["id", "code", "tier", "level", "effective_from", "effective_until", "note"]


class ReferenceServiceOutput(TranslatedOutput, serializers.ModelSerializer):
    requirements = RequirementOutput(many=True, read_only=True)

    class Meta:
        model = ReferenceService
        fields = [
            "code",
            "category",
            "name",
            "description",
            "language",
            "translations",
            "requirements",
            "created_at",
            "updated_at",
        ]


class ReferenceServiceInput(serializers.Serializer):
    code = serializers.CharField(max_length=60, help_text="Stable code, e.g. grant_help.")
    category = serializers.ChoiceField(choices=Category.choices)
    name = TranslatedText(max_length=200, help_text="By language; English is required.")
    description = TranslatedText(required=False)


class ReferenceServiceUpdate(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    name = TranslatedText(max_length=200, required=False)
    description = TranslatedText(required=False)


class RequirementInput(serializers.Serializer):
    code = serializers.CharField(max_length=60, help_text="The reference service's code.")
    tier = serializers.ChoiceField(choices=Tier.choices)
    level = serializers.ChoiceField(choices=Level.choices)
    effective_from = serializers.DateField()
    effective_until = serializers.DateField(
        required=False, allow_null=True, help_text="Last day (inclusive); null: open-ended."
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class RequirementUpdate(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    effective_from = serializers.DateField(required=False)
    effective_until = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CoverageOutput(serializers.ModelSerializer):
    partner = serializers.CharField(source="partner.slug")
    partner_name = serializers.CharField(source="partner.name")
    country = serializers.CharField(source="partner.country")
    complete = serializers.SerializerMethodField(
        help_text="True when every core service of the tier is offered."
    )

    class Meta:
        model = CoverageSnapshot
        fields = [
            "partner",
            "partner_name",
            "country",
            "tier",
            "as_of",
            "codes_offered",
            "core_required",
            "missing_core",
            "complete",
            "subscriber_counts",
            "computed_at",
        ]

    def get_complete(self, snapshot) -> bool:
        return not snapshot.missing_core
