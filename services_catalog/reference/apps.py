from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogReferenceConfig(AppConfig):
    name = "services_catalog.reference"
    label = "catalog_reference"
    verbose_name = _("Reference service catalogue")
