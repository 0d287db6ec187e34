from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from common.errors import EssaimError
from tenants.audit.admin import ReadOnlyAdmin
from tenants.expenses.models import Expense, ExpenseStatus
from tenants.expenses.services import expense_approve


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    """Expenses are filed through the API (receipt upload); the admin lists them and
    approves (rejection needs a reason: use the API)."""

    list_display = ["submitted_at", "activity", "description", "amount", "currency", "status"]
    list_filter = ["status", "category"]
    search_fields = ["description", "activity__name"]
    exclude = ["receipt"]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected expenses"))
    def approve(self, request, queryset):
        for expense in queryset.filter(status=ExpenseStatus.SUBMITTED):
            try:
                expense_approve(expense=expense, decided_by=request.user)
            except EssaimError as exc:
                self.message_user(request, f"{expense}: {exc}", messages.ERROR)
