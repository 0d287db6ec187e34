from rest_framework.routers import SimpleRouter

from services_catalog.local.api.views import ServiceViewSet, SubscriptionViewSet

router = SimpleRouter()
router.register("services", ServiceViewSet, basename="service")
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
urlpatterns = router.urls
