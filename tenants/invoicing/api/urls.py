from rest_framework.routers import SimpleRouter

from tenants.invoicing.api.views import ClientViewSet, EstimateViewSet, InvoiceViewSet

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("estimates", EstimateViewSet, basename="estimate")

urlpatterns = router.urls
