from django.urls import path
from rest_framework.routers import SimpleRouter

from tenants.payroll.api.views import (
    FundAdvanceApi,
    FundEligibleApi,
    FundMovementViewSet,
    FundSummaryApi,
    FundWriteOffApi,
)

router = SimpleRouter()
router.register("guarantee-fund/movements", FundMovementViewSet, basename="fund-movement")

urlpatterns = [
    path("guarantee-fund/", FundSummaryApi.as_view(), name="fund-summary"),
    path("guarantee-fund/eligible-invoices/", FundEligibleApi.as_view(), name="fund-eligible"),
    path("guarantee-fund/advances/", FundAdvanceApi.as_view(), name="fund-advance"),
    path("guarantee-fund/write-offs/", FundWriteOffApi.as_view(), name="fund-write-off"),
    *router.urls,
]
