"""The partner registry in the Django admin (federation host only). Creation and every
change of tier or status go through the lifecycle services, like every other entry point."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from common.errors import EssaimError
from tenants.partners import services
from tenants.partners.models import Domain, Partner, PartnerEvent, Tier


class PartnerCreationForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "country",
            "tier",
            "currency",
            "default_locale",
            "founded_on",
            "legal_form",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].required = False
        self.fields["default_locale"].required = False


class PartnerEventInline(admin.TabularInline):
    model = PartnerEvent
    extra = 0
    can_delete = False
    readonly_fields = [
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

    def has_add_permission(self, request, obj=None):
        return False


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class PromoteForm(forms.Form):
    tier = forms.ChoiceField(choices=Tier.choices)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "country", "tier", "status", "currency", "founded_on"]
    list_filter = ["tier", "status", "country"]
    search_fields = ["slug", "name"]
    inlines = [DomainInline, PartnerEventInline]
    actions = ["suspend", "reactivate", "archive"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PartnerCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Tier and status change only through the dated lifecycle actions.
        return ["slug", "schema_name", "country", "tier", "status", "currency", "created_at"]

    def get_exclude(self, request, obj=None):
        return ["schema_name"] if obj is None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        try:
            created = services.partner_create(
                slug=data["slug"],
                name=data["name"],
                country=data["country"],
                tier=data["tier"],
                currency=data.get("currency") or None,
                default_locale=data.get("default_locale") or None,
                founded_on=data.get("founded_on"),
                legal_form=data.get("legal_form", ""),
                recorded_by=request.user.username,
            )
        except EssaimError as exc:
            raise forms.ValidationError(str(exc)) from exc
        obj.pk = created.pk
        obj.schema_name = created.schema_name

    def _change_status(self, request, queryset, service, label):
        for partner in queryset:
            try:
                service(
                    partner=partner,
                    reason=_("Changed in the admin"),
                    recorded_by=request.user.username,
                )
            except EssaimError as exc:
                self.message_user(request, f"{partner.slug}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{partner.slug}: {label}", messages.SUCCESS)

    @admin.action(description=_("Suspend selected partners"))
    def suspend(self, request, queryset):
        self._change_status(request, queryset, services.partner_suspend, _("suspended"))

    @admin.action(description=_("Reactivate selected partners"))
    def reactivate(self, request, queryset):
        self._change_status(request, queryset, services.partner_reactivate, _("reactivated"))

    @admin.action(description=_("Archive selected partners"))
    def archive(self, request, queryset):
        self._change_status(request, queryset, services.partner_archive, _("archived"))
