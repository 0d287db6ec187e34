from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourLawConfig(AppConfig):
    name = "tenants.labour_law"
    label = "labour_law"
    verbose_name = _("Labour-law rule packs")
