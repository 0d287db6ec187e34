"""Partner-host routes of the charter (``config.urls_tenant``): the partner's own."""

from rest_framework.routers import SimpleRouter

from shared.charter.api.partner_views import OwnAnnualReportViewSet, OwnFindingViewSet

router = SimpleRouter()
router.register("charter-findings", OwnFindingViewSet, basename="charter-finding")
router.register("annual-reports", OwnAnnualReportViewSet, basename="annual-report")
urlpatterns = router.urls
