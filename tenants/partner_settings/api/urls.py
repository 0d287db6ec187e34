from django.urls import path

from tenants.partner_settings.api.views import PartnerSettingsApi

urlpatterns = [path("settings/", PartnerSettingsApi.as_view(), name="partner-settings")]
