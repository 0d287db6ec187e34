from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterChecksConfig(AppConfig):
    name = "tenants.charter_checks"
    label = "charter_checks"
    verbose_name = _("Charter checks")
