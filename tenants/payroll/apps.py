from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "tenants.payroll"
    label = "payroll"
    verbose_name = "Payroll and guarantee fund"
