"""Federation routes of the charter (``config.urls_public``)."""

from rest_framework.routers import SimpleRouter

from shared.charter.api.views import AnnualReportViewSet, CharterViewSet, FindingViewSet

router = SimpleRouter()
router.register("charters", CharterViewSet, basename="charter")
router.register("charter-findings", FindingViewSet, basename="charter-finding")
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
urlpatterns = router.urls
