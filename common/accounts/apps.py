from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "common.accounts"
    label = "accounts"
    verbose_name = "Accounts"
