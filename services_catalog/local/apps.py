from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogLocalConfig(AppConfig):
    name = "services_catalog.local"
    label = "catalog_local"
    verbose_name = _("Local service catalogue")
