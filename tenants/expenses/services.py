"""Filing and deciding expenses. Approval debits the activity through ``ledger_post``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import saved_user
from common.errors import CurrencyMismatch
from common.money import Money, round_amount
from common.tenancy import current_partner
from tenants.audit.services import audit_record, audit_snapshot
from tenants.expenses.exceptions import (
    ExpenseAlreadyDecided,
    ExpenseExceedsBalance,
    ExpenseInvalid,
)
from tenants.expenses.models import Expense, ExpenseCategory, ExpenseStatus
from tenants.expenses.selectors import expense_for_update
from tenants.members.models import Activity, ActivityStatus, LedgerKind
from tenants.members.selectors import activity_balance
from tenants.members.services import ledger_post

RECEIPT_MAX_BYTES = 10 * 1024 * 1024
# Receipts are PDFs or photos; the type is read from the file's first bytes, never from
# the name or the client's declared type.
RECEIPT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def receipt_content_type(receipt: UploadedFile) -> str:
    """The receipt's media type from its content; raises ``ExpenseInvalid`` for anything
    but PDF, JPEG or PNG, an empty file, or more than 10 MB."""
    if receipt is None:
        raise ExpenseInvalid(extra={"fields": {"receipt": [_("A receipt file is required.")]}})
    if not receipt.size:
        raise ExpenseInvalid(extra={"fields": {"receipt": [_("The file is empty.")]}})
    if receipt.size > RECEIPT_MAX_BYTES:
        raise ExpenseInvalid(extra={"fields": {"receipt": [_("At most 10 MB.")]}})
    receipt.seek(0)
    head = receipt.read(16)
    receipt.seek(0)
    for signature, media_type in RECEIPT_SIGNATURES.items():
        if head.startswith(signature):
            return media_type
    raise ExpenseInvalid(extra={"fields": {"receipt": [_("A PDF, JPEG or PNG file is expected.")]}})


@transaction.atomic
def expense_submit(
    *,
    activity: Activity,
    amount: Money,
    spent_on: dt.date,
    category: str,
    description: str,
    receipt: UploadedFile,
    submitted_by,
    vat_amount: Money | None = None,
) -> Expense:
    """File an expense of ``amount`` (positive Money, VAT included, partner currency) paid
    on ``spent_on`` for ``activity`` (which must be active), with its receipt.

    Raises ``ExpenseInvalid`` or ``CurrencyMismatch``; nothing is stored then.
    """
    currency = current_partner().currency
    errors: dict[str, list[str]] = {}
    for name, value in (("amount", amount), ("vat_amount", vat_amount)):
        if value is not None and value.currency != currency:
            raise CurrencyMismatch(
                _("Expenses are in %(ours)s, not %(theirs)s.")
                % {"ours": currency, "theirs": value.currency},
                {"currencies": [currency, value.currency]},
            )
        if value is not None and value.amount != round_amount(value.amount, currency):
            errors[name] = [
                _("At most %(currency)s's number of decimals.") % {"currency": currency}
            ]
    if amount.amount <= 0:
        errors["amount"] = [_("A positive amount is expected.")]
    vat = vat_amount.amount if vat_amount is not None else Decimal(0)
    if vat < 0 or vat > amount.amount:
        errors["vat_amount"] = [_("Between 0 and the amount.")]
    if spent_on > timezone.localdate():
        errors["spent_on"] = [_("An expense cannot be in the future.")]
    if category not in ExpenseCategory.values:
        errors["category"] = [
            _("One of %(values)s.") % {"values": ", ".join(ExpenseCategory.values)}
        ]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("This field is required.")]
    if activity.status != ActivityStatus.ACTIVE:
        errors["activity"] = [_("The activity is not active.")]
    if errors:
        raise ExpenseInvalid(extra={"fields": errors})
    media_type = receipt_content_type(receipt)
    expense = Expense(
        activity=activity,
        amount=amount.amount,
        vat_amount=vat,
        currency=currency,
        spent_on=spent_on,
        category=category,
        description=description[:255],
        receipt_name=(getattr(receipt, "name", "") or "receipt")[-200:],
        receipt_content_type=media_type,
        receipt_size=receipt.size,
        submitted_by=saved_user(submitted_by),
    )
    # Saved to the partner's own folder by the default (tenant) storage. Should the row
    # fail to save, the file is removed so that no orphan remains (Django has no
    # on-rollback hook; a rollback by an outer caller may still leave an unreferenced file).
    expense.receipt.save(receipt.name or "receipt", receipt, save=False)
    try:
        expense.save()
        audit_record(
            actor=submitted_by,
            action="expense.submit",
            obj=expense,
            changes=audit_snapshot(expense),
        )
    except Exception:
        expense.receipt.storage.delete(expense.receipt.name)
        raise
    return expense


@transaction.atomic
def expense_approve(*, expense: Expense, decided_by, reason: str = "") -> Expense:
    """Approve a submitted expense: debit its activity by the amount (a ``expense`` ledger
    entry whose rule names the expense and its receipt), once.

    Raises ``ExpenseAlreadyDecided``, or ``ExpenseExceedsBalance`` when the activity's
    balance does not cover the amount (a member spends only what the activity holds).
    """
    expense = expense_for_update(pk=expense.pk)
    if expense.status != ExpenseStatus.SUBMITTED:
        raise ExpenseAlreadyDecided(extra={"status": expense.status})
    # Lock the activity so that two approvals cannot both spend the same balance.
    activity = Activity.objects.select_for_update().get(pk=expense.activity_id)
    amount = Money(expense.amount, expense.currency)
    balance = activity_balance(activity=activity)
    if balance < amount:
        raise ExpenseExceedsBalance(
            _("The activity holds %(balance)s; the expense is %(amount)s.")
            % {"balance": balance, "amount": amount},
            {"balance": str(balance.amount), "amount": str(amount.amount)},
        )
    entry = ledger_post(
        activity=activity,
        kind=LedgerKind.EXPENSE,
        amount=-amount,
        booked_on=timezone.localdate(),
        description=f"Expense: {expense.description}"[:255],
        rule={
            "rule": "expense",
            "expense": expense.pk,
            "category": expense.category,
            "spent_on": expense.spent_on.isoformat(),
            "amount_incl_vat": str(expense.amount),
            "vat_amount": str(expense.vat_amount),
            "receipt": expense.receipt_name,
        },
        source=expense,
        idempotency_key=f"expense:{expense.pk}:approve",
        created_by=decided_by,
    )
    expense.status = ExpenseStatus.APPROVED
    expense.decided_by = saved_user(decided_by)
    expense.decided_at = timezone.now()
    expense.decision_reason = (reason or "").strip()
    expense.ledger_entry = entry
    expense.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "ledger_entry"]
    )
    audit_record(
        actor=decided_by,
        action="expense.approve",
        obj=expense,
        changes={"status": {"before": "submitted", "after": "approved"}, "ledger_entry": entry.pk},
    )
    return expense


@transaction.atomic
def expense_reject(*, expense: Expense, decided_by, reason: str) -> Expense:
    """Reject a submitted expense with a ``reason`` (required; shown to the member).
    Raises ``ExpenseInvalid`` or ``ExpenseAlreadyDecided``."""
    reason = (reason or "").strip()
    if not reason:
        raise ExpenseInvalid(extra={"fields": {"reason": [_("A rejection needs a reason.")]}})
    expense = expense_for_update(pk=expense.pk)
    if expense.status != ExpenseStatus.SUBMITTED:
        raise ExpenseAlreadyDecided(extra={"status": expense.status})
    expense.status = ExpenseStatus.REJECTED
    expense.decided_by = saved_user(decided_by)
    expense.decided_at = timezone.now()
    expense.decision_reason = reason
    expense.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=decided_by,
        action="expense.reject",
        obj=expense,
        changes={"status": {"before": "submitted", "after": "rejected"}, "reason": reason},
    )
    return expense
