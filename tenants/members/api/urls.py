from rest_framework.routers import SimpleRouter

from tenants.members.api.views import ActivityViewSet, LedgerViewSet, MemberViewSet

router = SimpleRouter()
router.register("members", MemberViewSet, basename="member")
router.register("activities", ActivityViewSet, basename="activity")
router.register(r"activities/(?P<activity_pk>\d+)/ledger", LedgerViewSet, basename="ledger")

urlpatterns = router.urls
