"""The charter in the Django admin (federation host). New versions go through
``charter_create`` (the same checks and audit as the API); a version in force is read
only; findings and annual reports are shown, never edited here (the checks write
findings, partners file their reports on their own host)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone

from common.errors import EssaimError
from shared.charter.models import AnnualReport, Charter, CharterFinding
from shared.charter.services import (
    CHARTER_FIELDS,
    charter_check_changes,
    charter_create,
    charter_prepare,
    charter_update,
)
from tenants.audit.admin import ReadOnlyAdmin


class CharterForm(forms.ModelForm):
    class Meta:
        model = Charter
        fields = CHARTER_FIELDS

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        values = {name: data.get(name) for name in CHARTER_FIELDS}
        try:
            if self.instance.pk is None:
                charter_prepare(**values)
            else:
                values.pop("tier")
                values.pop("effective_from")
                charter_check_changes(charter=self.instance, values=values)
        except EssaimError as error:
            fields = error.extra.get("fields", {})
            for name, messages in fields.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            if not fields:
                self.add_error(None, str(error))
        return data


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    form = CharterForm
    list_display = [
        "tier",
        "effective_from",
        "fee_rate_min",
        "fee_rate_max",
        "contribution_rate",
        "share_remuneration_cap",
        "min_hq_board_seats",
        "reporting_frequency",
    ]
    list_filter = ["tier"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.effective_from <= timezone.localdate():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form ran the same checks (``clean``); the service stores and audits.
        values = {name: form.cleaned_data[name] for name in CHARTER_FIELDS}
        if change:
            values.pop("tier")
            values.pop("effective_from")
            saved = charter_update(charter=obj, actor=request.user, **values)
        else:
            saved = charter_create(actor=request.user, **values)
        obj.pk = saved.pk


@admin.register(CharterFinding)
class CharterFindingAdmin(ReadOnlyAdmin):
    list_display = ["partner", "kind", "subject", "status", "opened_on", "resolved_on"]
    list_filter = ["status", "kind"]
    search_fields = ["partner__slug", "subject"]


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["partner", "year", "currency", "operating_result", "equity", "filed_on"]
    list_filter = ["year"]
    search_fields = ["partner__slug"]
