from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Registers the system checks; it reads no model, so it may load with the app config.
from tenants.invoicing import checks  # noqa: F401


class InvoicingConfig(AppConfig):
    name = "tenants.invoicing"
    label = "invoicing"
    verbose_name = _("Invoicing")
