"""Members and activities in the admin: writes go through the services (validation of the
national id, IBAN and NACE code; audit). Ledgers are read-only."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from common.errors import EssaimError
from tenants.audit.admin import ReadOnlyAdmin
from tenants.members.models import (
    Activity,
    Consent,
    LedgerEntry,
    Member,
    MemberStatus,
    MemberStatusChange,
    ShareSubscription,
)
from tenants.members.selectors import activity_balance
from tenants.members.services.activities import activity_clean, activity_create, activity_update
from tenants.members.services.members import (
    MEMBER_FIELDS,
    member_clean,
    member_create,
    member_status_change,
    member_update,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(_ReadOnlyInline):
    model = MemberStatusChange
    fields = ["effective_on", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = fields


class ShareInline(_ReadOnlyInline):
    model = ShareSubscription
    fields = ["subscribed_on", "count", "nominal_value", "currency", "paid", "paid_on"]
    readonly_fields = fields


class ConsentInline(_ReadOnlyInline):
    model = Consent
    fields = ["kind", "text_version", "given_at", "withdrawn_at"]
    readonly_fields = fields


def _run(modeladmin, request, func, queryset):
    for obj in queryset:
        try:
            func(obj)
        except EssaimError as exc:
            modeladmin.message_user(request, f"{obj}: {exc}", messages.ERROR)


class _ServiceValidatedForm(forms.ModelForm):
    """Runs the service's own validation so that domain errors show on the form."""

    clean_function = None

    def clean(self):
        cleaned = super().clean()
        fields = {k: v for k, v in cleaned.items() if k in self.service_fields}
        try:
            type(self).clean_function(fields)
        except EssaimError as exc:
            for field, errors in (exc.extra.get("fields") or {"__all__": [str(exc)]}).items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


class MemberForm(_ServiceValidatedForm):
    service_fields = MEMBER_FIELDS
    clean_function = member_clean

    class Meta:
        model = Member
        fields = list(MEMBER_FIELDS)


class ActivityForm(_ServiceValidatedForm):
    service_fields = ("name", "sector")
    clean_function = activity_clean

    class Meta:
        model = Activity
        fields = ["member", "name", "sector", "description", "started_on", "status"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    form = MemberForm
    list_display = ["last_name", "first_name", "email", "status", "user"]
    list_filter = ["status"]
    search_fields = ["first_name", "last_name", "email"]
    fields = [*MEMBER_FIELDS, "status"]
    readonly_fields = ["status"]
    inlines = [StatusChangeInline, ShareInline, ConsentInline]
    actions = ["admit", "deactivate"]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in MEMBER_FIELDS}
        if change:
            member_update(member=obj, actor=request.user, data=data)
        else:
            obj.pk = member_create(actor=request.user, **data).pk

    @admin.action(description=_("Admit the selected applicants"))
    def admit(self, request, queryset):
        _run(
            self,
            request,
            lambda m: member_status_change(
                member=m, to_status=MemberStatus.ACTIVE, actor=request.user
            ),
            queryset.filter(status=MemberStatus.APPLICANT),
        )

    @admin.action(description=_("Deactivate the selected members"))
    def deactivate(self, request, queryset):
        _run(
            self,
            request,
            lambda m: member_status_change(
                member=m, to_status=MemberStatus.INACTIVE, actor=request.user
            ),
            queryset.exclude(status=MemberStatus.INACTIVE),
        )


class LedgerInline(_ReadOnlyInline):
    model = LedgerEntry
    fk_name = "activity"
    fields = ["booked_on", "kind", "amount", "currency", "description", "rule", "corrects"]
    readonly_fields = fields
    ordering = ["booked_on", "id"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = ActivityForm
    list_display = ["name", "member", "sector", "status", "balance"]
    list_filter = ["status"]
    search_fields = ["name", "member__first_name", "member__last_name"]
    fields = ["member", "name", "sector", "description", "started_on", "status"]
    autocomplete_fields = ["member"]
    inlines = [LedgerInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("balance"))
    def balance(self, obj):
        return str(activity_balance(activity=obj))

    def get_readonly_fields(self, request, obj=None):
        return ["member"] if obj else ["status"]

    def save_model(self, request, obj, form, change):
        fields = ["name", "sector", "description", "started_on"]
        data = {name: form.cleaned_data[name] for name in fields}
        if change:
            data["status"] = form.cleaned_data["status"]
            activity_update(activity=obj, actor=request.user, data=data)
        else:
            member = form.cleaned_data["member"]
            obj.pk = activity_create(member=member, actor=request.user, **data).pk


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["booked_on", "activity", "kind", "amount", "currency", "description"]
    list_filter = ["kind"]
    search_fields = ["description", "activity__name"]
    date_hierarchy = "booked_on"
