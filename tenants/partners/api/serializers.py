from common.api import serializers
from tenants.partners.models import Partner, PartnerEvent, Tier


class PartnerEventOutput(serializers.ModelSerializer):
    class Meta:
        model = PartnerEvent
        fields = [
            "kind",
            "effective_on",
            "tier",
            "status",
            "previous_tier",
            "previous_status",
            "reason",
            "recorded_by",
            "recorded_at",
        ]


class PartnerOutput(serializers.ModelSerializer):
    host = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "country",
            "tier",
            "status",
            "currency",
            "default_locale",
            "languages",
            "founded_on",
            "legal_form",
            "host",
            "created_at",
        ]

    def get_host(self, partner: Partner) -> str:
        from tenants.partners.services import partner_host

        return partner_host(partner.slug)


class PartnerInput(serializers.Serializer):
    slug = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2)
    tier = serializers.ChoiceField(choices=Tier.choices)
    currency = serializers.CharField(max_length=3, required=False)
    default_locale = serializers.CharField(max_length=10, required=False)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False, max_length=10
    )
    founded_on = serializers.DateField(required=False)
    legal_form = serializers.CharField(max_length=120, required=False, allow_blank=True)


class PromoteInput(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    effective_on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class StatusChangeInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    effective_on = serializers.DateField(required=False)
