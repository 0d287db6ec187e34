from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "tenants.expenses"
    label = "expenses"
    verbose_name = "Expenses"
