from django.apps import AppConfig


class AccountingConfig(AppConfig):
    name = "tenants.accounting"
    label = "accounting"
    verbose_name = "Accounting export"
