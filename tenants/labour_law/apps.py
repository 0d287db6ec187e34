from django.apps import AppConfig


class LabourLawConfig(AppConfig):
    name = "tenants.labour_law"
    label = "labour_law"
    verbose_name = "Labour-law rule packs"
