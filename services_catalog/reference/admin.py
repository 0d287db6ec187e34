"""Django admin of the reference catalogue (federation host). Translated fields get one
input per language (modeltranslation's TranslationAdmin); requirement dates are checked by
the same function as the API."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from modeltranslation.admin import TranslationAdmin

from common.errors import EssaimError
from services_catalog.reference.models import CoverageSnapshot, ReferenceService, TierRequirement
from services_catalog.reference.services import (
    check_requirement,
    reference_service_save,
    tier_requirement_delete,
    tier_requirement_save,
)


class TierRequirementForm(forms.ModelForm):
    class Meta:
        model = TierRequirement
        fields = ["service", "tier", "level", "effective_from", "effective_until", "note"]

    def clean(self):
        data = super().clean()
        # Inline forms carry the service on the instance (None while the service is new).
        service = data.get("service") or getattr(self.instance, "service", None)
        if self.errors or service is None or service.pk is None:
            return data
        try:
            check_requirement(
                service=service,
                tier=data["tier"],
                level=data["level"],
                start=data["effective_from"],
                end=data.get("effective_until"),
                exclude_pk=self.instance.pk,
            )
        except EssaimError as error:
            raise ValidationError(str(error)) from None
        return data


class TierRequirementInline(admin.TabularInline):
    model = TierRequirement
    form = TierRequirementForm
    extra = 0


@admin.register(ReferenceService)
class ReferenceServiceAdmin(TranslationAdmin):
    list_display = ("code", "name", "category", "updated_at")
    list_filter = ("category",)
    search_fields = ("code", "name_en", "name_fr", "name_de")
    inlines = [TierRequirementInline]

    def save_model(self, request, obj, form, change):
        reference_service_save(service=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        # Requirements edited inline are saved one by one through the service (audited).
        for requirement in formset.save(commit=False):
            tier_requirement_save(requirement=requirement, actor=request.user)
        for requirement in formset.deleted_objects:
            tier_requirement_delete(requirement=requirement, actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        # The code is the service's identity across the federation: never renamed.
        return ("code",) if obj is not None else ()


@admin.register(TierRequirement)
class TierRequirementAdmin(admin.ModelAdmin):
    form = TierRequirementForm
    list_display = ("service", "tier", "level", "effective_from", "effective_until")
    list_filter = ("tier", "level")

    def save_model(self, request, obj, form, change):
        tier_requirement_save(requirement=obj, actor=request.user)

    def delete_model(self, request, obj):
        tier_requirement_delete(requirement=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for requirement in queryset:
            tier_requirement_delete(requirement=requirement, actor=request.user)


@admin.register(CoverageSnapshot)
class CoverageSnapshotAdmin(admin.ModelAdmin):
    list_display = ("partner", "as_of", "tier", "missing_core", "computed_at")
    list_filter = ("tier", "as_of")
    readonly_fields = [f.name for f in CoverageSnapshot._meta.fields]

    def has_add_permission(self, request):
        return False
