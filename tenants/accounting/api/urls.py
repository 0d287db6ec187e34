from django.urls import path

from tenants.accounting.api.views import FecExportApi, JournalExportApi

urlpatterns = [
    path("accounting/journal/", JournalExportApi.as_view(), name="accounting-journal"),
    path("accounting/fec/", FecExportApi.as_view(), name="accounting-fec"),
]
