from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "tenants.invoicing"
    label = "invoicing"
    verbose_name = "Invoicing"
