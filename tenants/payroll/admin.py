from django.contrib import admin

from tenants.audit.admin import ReadOnlyAdmin
from tenants.payroll.fund_models import FundMovement


@admin.register(FundMovement)
class FundMovementAdmin(ReadOnlyAdmin):
    list_display = ["booked_on", "kind", "amount", "outstanding_change", "currency", "invoice_id"]
    list_filter = ["kind"]
    search_fields = ["description", "reason"]
    date_hierarchy = "booked_on"
