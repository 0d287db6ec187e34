"""Reading expenses: staff see all, a member only the expenses of their own activities."""

from __future__ import annotations

from django.db.models import QuerySet

from common.accounts.acting import is_member
from tenants.expenses.exceptions import ExpenseNotFound
from tenants.expenses.models import Expense


def expense_list(*, user) -> QuerySet[Expense]:
    qs = Expense.objects.select_related("activity", "activity__member", "decided_by")
    if is_member(user):
        qs = qs.filter(activity__member__user_id=user.pk)
    return qs.order_by("-submitted_at", "-id")


def expense_get(*, user, pk) -> Expense:
    """Raises ``ExpenseNotFound`` for an expense ``user`` may not see."""
    try:
        return expense_list(user=user).get(pk=pk)
    except (Expense.DoesNotExist, ValueError, TypeError):
        raise ExpenseNotFound() from None


def expense_for_update(*, pk: int) -> Expense:
    """The expense ``pk``, its row locked until the transaction ends. Raises
    ``ExpenseNotFound``."""
    try:
        return Expense.objects.select_for_update().get(pk=pk)
    except Expense.DoesNotExist:
        raise ExpenseNotFound() from None
