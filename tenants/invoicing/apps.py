from django.apps import AppConfig

# Registers the system checks; it reads no model, so it may load with the app config.
from tenants.invoicing import checks  # noqa: F401


class InvoicingConfig(AppConfig):
    name = "tenants.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"
