from django.apps import AppConfig


class CatalogLocalConfig(AppConfig):
    name = "services_catalog.local"
    label = "catalog_local"
    verbose_name = "Local service catalogue"
