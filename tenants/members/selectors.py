"""Reading members, activities and ledgers. A member-role user sees only their own."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from common.accounts.acting import is_member
from common.money import DECIMAL_PLACES, MAX_DIGITS, Money, round_amount
from common.tenancy import current_partner
from tenants.members.exceptions import ActivityNotFound, MemberNotFound
from tenants.members.models import Activity, LedgerEntry, Member


def member_for_user(user) -> Member | None:
    """The member record ``user`` logs in as, or None (staff, or an unlinked login)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user_id=user.pk).first()


def member_list(*, user) -> QuerySet[Member]:
    """Members ``user`` may see: all of them for staff, only their own for a member."""
    qs = Member.objects.all()
    if is_member(user):
        qs = qs.filter(user_id=user.pk)
    return qs.order_by("last_name", "first_name", "id")


def member_get(*, user, pk) -> Member:
    """Raises ``MemberNotFound`` for a member ``user`` may not see (or that does not exist)."""
    try:
        return member_list(user=user).get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise MemberNotFound() from None


def activity_list(*, user) -> QuerySet[Activity]:
    """Activities ``user`` may see: all for staff, their own member's for a member."""
    qs = Activity.objects.select_related("member")
    if is_member(user):
        qs = qs.filter(member__user_id=user.pk)
    return qs.order_by("name", "id")


def activity_list_with_balance(*, user) -> QuerySet[Activity]:
    """``activity_list`` with each activity's balance as ``balance_amount`` (Decimal, partner
    currency, unrounded sum of the entries) computed in the same query."""
    totals = (
        LedgerEntry.objects.filter(activity_id=OuterRef("pk"))
        .order_by()
        .values("activity_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    return activity_list(user=user).annotate(
        balance_amount=Coalesce(
            Subquery(totals, output_field=money), Value(Decimal(0)), output_field=money
        )
    )


def activity_get(*, user, pk) -> Activity:
    """Raises ``ActivityNotFound`` for an activity ``user`` may not see."""
    try:
        return activity_list(user=user).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise ActivityNotFound() from None


def ledger_entries(*, activity: Activity) -> QuerySet[LedgerEntry]:
    """``activity``'s entries in booking order."""
    return LedgerEntry.objects.filter(activity_id=activity.pk).order_by("booked_on", "id")


def activity_balance(*, activity: Activity) -> Money:
    """The balance of ``activity``'s account in the partner's currency: the sum of its
    ledger entries (one aggregate query on a covering index)."""
    total = LedgerEntry.objects.filter(activity_id=activity.pk).aggregate(total=Sum("amount"))[
        "total"
    ]
    currency = current_partner().currency
    return Money(round_amount(total if total is not None else Decimal(0), currency), currency)


def ledger_effective_amount(*, entry: LedgerEntry) -> Money:
    """``entry``'s amount plus every correction posted against it (signed Money, unrounded
    sum, the entry's currency)."""
    corrected = entry.corrections.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return Money(entry.amount + corrected, entry.currency)


def ledger_entry_for_key(*, idempotency_key: str) -> LedgerEntry | None:
    """The entry posted with ``idempotency_key``, or None."""
    # No ORDER BY, so that the unique index on the key is used whatever the planner's
    # statistics say.
    rows = LedgerEntry.objects.filter(idempotency_key=idempotency_key).order_by()[:1]
    return next(iter(rows), None)
