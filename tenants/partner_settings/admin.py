"""Settings in the admin go through the same services as the API (validation, audit), and
their forms check the charter's bounds with the same function (``check_setting``), so a
value out of bounds is shown as a form error naming the bound and the charter version."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import EssaimError
from common.tenancy import current_partner
from shared.charter.enforcement import check_setting
from tenants.audit.admin import ReadOnlyAdmin
from tenants.partner_settings.models import ContributionRate, FeeRate, PartnerSettings
from tenants.partner_settings.services import (
    EDITABLE_FIELDS,
    contribution_rate_set,
    fee_rate_set,
    partner_settings_update,
)


def _check(form: forms.ModelForm, name: str, value, on, field: str) -> None:
    try:
        check_setting(partner=current_partner(), name=name, value=value, on=on)
    except EssaimError as error:
        form.add_error(field, ValidationError(str(error)))


class PartnerSettingsForm(forms.ModelForm):
    class Meta:
        model = PartnerSettings
        fields = list(EDITABLE_FIELDS)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("share_remuneration_rate", "hq_board_seats"):
            if name in self.changed_data and data.get(name) is not None:
                _check(self, name, data[name], today, name)
        return data


@admin.register(PartnerSettings)
class PartnerSettingsAdmin(admin.ModelAdmin):
    form = PartnerSettingsForm
    fields = list(EDITABLE_FIELDS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        partner_settings_update(actor=request.user, data=data)


class DatedRateForm(forms.ModelForm):
    setting = ""

    def clean(self):
        data = super().clean()
        if data.get("rate") is not None and data.get("effective_from") is not None:
            _check(self, self.setting, data["rate"], data["effective_from"], "rate")
        return data


class FeeRateForm(DatedRateForm):
    setting = "fee_rate"

    class Meta:
        model = FeeRate
        fields = ["rate", "effective_from", "note"]


class ContributionRateForm(DatedRateForm):
    setting = "contribution_rate"

    class Meta:
        model = ContributionRate
        fields = ["rate", "effective_from", "note"]


class DatedRateAdmin(ReadOnlyAdmin):
    """Dated rates: added (from today on) through their service, never edited."""

    list_display = ["effective_from", "rate", "note"]
    fields = ["rate", "effective_from", "note"]
    setter = None

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_changeform_initial_data(self, request):
        return {"effective_from": timezone.localdate()}

    def save_model(self, request, obj, form, change):
        saved = type(self).setter(
            rate=obj.rate, effective_from=obj.effective_from, note=obj.note, actor=request.user
        )
        obj.pk = saved.pk


@admin.register(FeeRate)
class FeeRateAdmin(DatedRateAdmin):
    form = FeeRateForm
    setter = fee_rate_set


@admin.register(ContributionRate)
class ContributionRateAdmin(DatedRateAdmin):
    form = ContributionRateForm
    setter = contribution_rate_set
