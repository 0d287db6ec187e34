"""Settings in the admin go through the same services as the API (validation, audit)."""

from django.contrib import admin
from django.utils import timezone

from tenants.audit.admin import ReadOnlyAdmin
from tenants.partner_settings.models import FeeRate, PartnerSettings
from tenants.partner_settings.services import EDITABLE_FIELDS, fee_rate_set, partner_settings_update


@admin.register(PartnerSettings)
class PartnerSettingsAdmin(admin.ModelAdmin):
    fields = list(EDITABLE_FIELDS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        partner_settings_update(actor=request.user, data=data)


@admin.register(FeeRate)
class FeeRateAdmin(ReadOnlyAdmin):
    """Dated fee rates: added (from today on) through ``fee_rate_set``, never edited."""

    list_display = ["effective_from", "rate", "note"]
    fields = ["rate", "effective_from", "note"]

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_changeform_initial_data(self, request):
        return {"effective_from": timezone.localdate()}

    def save_model(self, request, obj, form, change):
        saved = fee_rate_set(
            rate=obj.rate, effective_from=obj.effective_from, note=obj.note, actor=request.user
        )
        obj.pk = saved.pk
