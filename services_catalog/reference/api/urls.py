from rest_framework.routers import SimpleRouter

from services_catalog.reference.api.views import (
    CoverageViewSet,
    ReferenceServiceViewSet,
    TierRequirementViewSet,
)

router = SimpleRouter()
router.register("reference-services", ReferenceServiceViewSet, basename="reference-service")
router.register("tier-requirements", TierRequirementViewSet, basename="tier-requirement")
router.register("coverage", CoverageViewSet, basename="coverage")
urlpatterns = router.urls
