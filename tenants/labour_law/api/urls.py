from django.urls import path
from rest_framework.routers import SimpleRouter

from tenants.labour_law.api.views import (
    ContractViewSet,
    IncomePlanViewSet,
    ParametersApi,
    PartnerParameterViewSet,
    SalarySimulationViewSet,
)

router = SimpleRouter()
router.register("salary-simulations", SalarySimulationViewSet, basename="salary-simulation")
router.register("income-plans", IncomePlanViewSet, basename="income-plan")
router.register("contracts", ContractViewSet, basename="labour-contract")
router.register(
    "labour-law/partner-parameters", PartnerParameterViewSet, basename="partner-parameter"
)

urlpatterns = [
    path("labour-law/parameters/", ParametersApi.as_view(), name="labour-law-parameters"),
    *router.urls,
]
