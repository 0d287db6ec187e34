from django.apps import AppConfig


class PartnerSettingsConfig(AppConfig):
    name = "tenants.partner_settings"
    label = "partner_settings"
    verbose_name = "Partner settings"
