from django.apps import AppConfig


class CatalogReferenceConfig(AppConfig):
    name = "services_catalog.reference"
    label = "catalog_reference"
    verbose_name = "Reference service catalogue"
