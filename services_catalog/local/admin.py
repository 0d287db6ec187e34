"""Django admin of the local catalogue (a partner's host). Services are edited with one
input per language (modeltranslation's TranslationAdmin) and checked by the same function
as the API; subscriptions, uses and charges are shown read-only (they are made through the
API, whose services check overlaps and post to the ledger)."""

from django import forms
from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from common.errors import EssaimError
from services_catalog.local.models import Service, ServiceCharge, ServiceUse, Subscription
from services_catalog.local.services.catalogue import service_check, service_save
from services_catalog.local.services.charter import catalogue_charter_check


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        # The untranslated columns are filled from the partner's language by the service
        # layer; TranslationAdmin shows one input per language for the translated ones.
        exclude = ["name", "description"]  # noqa: DJ006

    def _post_clean(self):
        super()._post_clean()
        try:
            service_check(self.instance)
            catalogue_charter_check(self.instance)
        except EssaimError as error:
            fields = error.extra.get("fields", {})
            for name, messages in fields.items():
                target = name if name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
            if not fields:
                self.add_error(None, str(error))


@admin.register(Service)
class ServiceAdmin(TranslationAdmin):
    form = ServiceForm
    list_display = (
        "code",
        "name",
        "reference_code",
        "pricing_model",
        "price_amount",
        "currency",
        "percentage",
        "available_from",
        "available_until",
    )
    list_filter = ("pricing_model", "reference_code")
    search_fields = ("code", "reference_code", "name_en")
    readonly_fields = ("currency",)

    def has_delete_permission(self, request, obj=None):
        # A service is ended (``available_until``), never removed: its charges and the
        # charter's coverage of core services are read from it.
        return False

    def save_model(self, request, obj, form, change):
        # Through the service: the currency is the partner's whatever the form held, and
        # the change is audited.
        service_save(service=obj, actor=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("id", "member", "activity", "service", "starts_on", "ends_on")
    list_filter = ("service",)


@admin.register(ServiceUse)
class ServiceUseAdmin(ReadOnlyAdmin):
    list_display = ("subscription", "used_on", "quantity", "note")


@admin.register(ServiceCharge)
class ServiceChargeAdmin(ReadOnlyAdmin):
    list_display = ("subscription", "period", "amount", "currency", "ledger_entry")
    list_filter = ("period",)
