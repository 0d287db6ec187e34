"""Writing the guarantee fund.

Called by invoicing, inside its own transactions:

- ``fund_feed_from_fee(fee_entry=...)`` when a fee is taken (or a fee is corrected);
- ``fund_recover_for_invoice(invoice=..., payment=...)`` when a client's payment arrives.

Called by the country team (API ``guarantee-fund/``):

- ``fund_advance(invoice=..., amount=..., created_by=...)`` on an overdue invoice;
- ``fund_write_off(invoice=..., reason=..., created_by=...)`` by an accountant.

An advance is capped by the invoice's unpaid amount *excluding VAT*: that is what the
activity would have received had the client paid (the VAT part is owed to the State, never
to the member), so a recovery never needs more than what a payment brings to the activity.
Reads are in ``tenants.payroll.selectors``; invoices are loaded (and locked) through
``tenants.invoicing.selectors``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import saved_user
from common.errors import CurrencyMismatch
from common.money import Money, round_amount, to_decimal
from common.tenancy import current_partner
from tenants.audit.services import audit_record
from tenants.invoicing.exceptions import ObjectNotFound
from tenants.invoicing.selectors import INVOICE_UNPAID_STATUSES, invoice_for_update
from tenants.members.models import LedgerEntry, LedgerKind
from tenants.members.services import ledger_post
from tenants.partner_settings.selectors import partner_settings_get
from tenants.payroll.exceptions import (
    FundAdvanceRefused,
    FundInsufficient,
    FundInvalid,
    FundInvoiceNotFound,
    FundNothingOutstanding,
)
from tenants.payroll.fund_models import FundMovement, FundMovementKind
from tenants.payroll.selectors import (
    fund_advance_limit,
    fund_balance,
    fund_outstanding_for_invoice,
    invoice_unpaid_excl_vat,
)


def _first(queryset):
    """The first row of ``queryset`` with no ORDER BY, so that the unique index on the
    filtered column is used whatever the planner's statistics say."""
    return next(iter(queryset.order_by()[:1]), None)


def _lock_fund() -> None:
    """Serialise the operations that spend the fund (advances) within this partner: a
    transaction-level advisory lock keyed by the schema name."""
    key = int.from_bytes(
        hashlib.sha256(f"essaim.fund.{connection.schema_name}".encode()).digest()[:8],
        "big",
        signed=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _money(value: Any, currency: str, field: str = "amount") -> Money:
    if isinstance(value, Money):
        if value.currency != currency:
            raise CurrencyMismatch(
                _("The fund works in %(currency)s, not %(given)s.")
                % {"currency": currency, "given": value.currency},
                {"currencies": [currency, value.currency]},
            )
        amount = value.amount
    else:
        try:
            amount = to_decimal(value, field)
        except Exception:
            raise FundInvalid(
                extra={"fields": {field: [_("A decimal amount is expected.")]}}
            ) from None
    if amount != round_amount(amount, currency):
        raise FundInvalid(
            extra={
                "fields": {field: [_("At most %(currency)s's decimals.") % {"currency": currency}]}
            }
        )
    return Money(amount, currency)


def _lock_invoice(invoice):
    try:
        return invoice_for_update(pk=invoice.pk, related=("activity",))
    except ObjectNotFound:
        raise FundInvoiceNotFound() from None


@transaction.atomic
def fund_feed_from_fee(*, fee_entry: LedgerEntry) -> FundMovement | None:
    """Feed the fund with the partner's ``guarantee_fund_share`` (fraction) of the fee in
    ``fee_entry`` (a ledger entry of kind ``fee``, negative; or a correction of a fee,
    which feeds back the corresponding share, possibly negative). Rounded half-up to the
    currency. Idempotent: a fee feeds the fund once. Returns None when nothing is due.
    """
    is_fee = fee_entry.kind == LedgerKind.FEE
    is_fee_correction = (
        fee_entry.kind == LedgerKind.CORRECTION
        and (fee_entry.rule or {}).get("corrected_kind") == LedgerKind.FEE
    )
    if not (is_fee or is_fee_correction):
        raise FundInvalid(
            _("Only a fee (or a fee's correction) feeds the guarantee fund."),
            {
                "fields": {
                    "fee_entry": [_("Kind %(kind)s is not a fee.") % {"kind": fee_entry.kind}]
                }
            },
        )
    key = f"fund.feed.{fee_entry.pk}"
    share = partner_settings_get().guarantee_fund_share
    fee = -fee_entry.amount  # a fee debits the activity: the fee itself is the opposite
    amount = round_amount(fee * share, fee_entry.currency)
    if amount == 0:
        return _first(FundMovement.objects.filter(idempotency_key=key))
    movement = FundMovement(
        kind=FundMovementKind.FEED,
        amount=amount,
        outstanding_change=0,
        currency=fee_entry.currency,
        booked_on=fee_entry.booked_on,
        description=f"Share of fee entry {fee_entry.pk}",
        rule={
            "rule": "guarantee_fund_share",
            "share": str(share),
            "fee": str(fee),
            "fee_entry": fee_entry.pk,
            "source": "partner_settings.guarantee_fund_share",
            "rounding": "half-up to the currency's minor unit",
        },
        activity_id=fee_entry.activity_id,
        ledger_entry=fee_entry,
        idempotency_key=key,
    )
    # Insert first and let the unique key decide (a fee is usually fed right after it was
    # posted, so a lookup first would almost always find nothing); a replay returns the
    # movement already booked.
    try:
        with transaction.atomic():
            movement.save()
    except IntegrityError:
        existing = _first(FundMovement.objects.filter(idempotency_key=key))
        if existing is None:  # another constraint failed: not a replay
            raise
        return existing
    audit_record(
        actor=None,
        action="fund.feed",
        obj=movement,
        changes={"amount": str(amount), "fee_entry": fee_entry.pk, "share": share},
    )
    return movement


@transaction.atomic
def fund_advance(
    *, invoice, amount: Money | Decimal | str, created_by, on: dt.date | None = None
) -> FundMovement:
    """Advance ``amount`` (partner currency) from the fund to ``invoice``'s activity: the
    activity is credited (ledger ``fund_advance``) and the fund debited.

    Allowed when the invoice is issued or partly paid, overdue by at least the partner's
    ``fund_overdue_days`` on ``on`` (default today), for at most its unpaid amount excluding
    VAT less what is already advanced on it, and the fund holds the money.

    Raises ``FundInvalid`` (bad amount), ``FundAdvanceRefused`` (invoice not eligible or
    amount above the limit), ``FundInsufficient``, ``CurrencyMismatch``.
    """
    on = on or timezone.localdate()
    currency = current_partner().currency
    money = _money(amount, currency)
    if money.amount <= 0:
        raise FundInvalid(extra={"fields": {"amount": [_("A positive amount is expected.")]}})
    _lock_fund()
    invoice = _lock_invoice(invoice)
    if invoice.currency != currency:
        raise CurrencyMismatch(extra={"currencies": [currency, invoice.currency]})
    if invoice.status not in INVOICE_UNPAID_STATUSES:
        raise FundAdvanceRefused(
            _("Invoice %(number)s is %(status)s: only an unpaid, issued invoice qualifies.")
            % {"number": invoice.number or invoice.pk, "status": invoice.status},
            {"status": invoice.status},
        )
    days = partner_settings_get().fund_overdue_days
    overdue = (on - invoice.due_date).days
    if overdue < days:
        raise FundAdvanceRefused(
            _("Invoice %(number)s is %(overdue)s days overdue; the fund needs %(days)s.")
            % {"number": invoice.number, "overdue": max(overdue, 0), "days": days},
            {"overdue_days": overdue, "required_days": days, "due_date": invoice.due_date},
        )
    limit = fund_advance_limit(invoice=invoice, on=on)
    if money.amount > limit:
        raise FundAdvanceRefused(
            _("At most %(limit)s %(currency)s can be advanced on invoice %(number)s.")
            % {"limit": limit, "currency": currency, "number": invoice.number},
            {
                "fields": {"amount": [_("At most %(limit)s.") % {"limit": limit}]},
                "max_advance": str(limit),
            },
        )
    balance = fund_balance()
    if balance < money:
        raise FundInsufficient(
            _("The fund holds %(balance)s; the advance is %(amount)s.")
            % {"balance": balance, "amount": money},
            {"balance": str(balance.amount)},
        )
    entry = ledger_post(
        activity=invoice.activity,
        kind=LedgerKind.FUND_ADVANCE,
        amount=money,
        booked_on=on,
        description=f"Guarantee fund advance on invoice {invoice.number}",
        rule={
            "rule": "fund_advance",
            "invoice": invoice.pk,
            "invoice_number": invoice.number,
            "due_date": invoice.due_date.isoformat(),
            "overdue_days": overdue,
            "required_days": days,
            "unpaid_excl_vat": str(invoice_unpaid_excl_vat(invoice)),
            "max_advance": str(limit),
        },
        source=invoice,
        created_by=created_by,
    )
    movement = FundMovement.objects.create(
        kind=FundMovementKind.ADVANCE,
        amount=-money.amount,
        outstanding_change=money.amount,
        currency=currency,
        booked_on=on,
        description=f"Advance on invoice {invoice.number}",
        rule=entry.rule,
        activity=invoice.activity,
        ledger_entry=entry,
        invoice_id=invoice.pk,
        created_by=saved_user(created_by),
    )
    audit_record(
        actor=created_by,
        action="fund.advance",
        obj=movement,
        changes={"invoice": invoice.pk, "amount": money, "ledger_entry": entry.pk},
    )
    return movement


@transaction.atomic
def fund_recover_for_invoice(*, invoice, payment) -> FundMovement | None:
    """When a client pays ``invoice`` (``payment``: an invoicing ``Payment`` just recorded),
    take back what the fund advanced on it: the smaller
    of the outstanding advance and the payment's share excluding VAT (what the payment
    brought to the activity). Debits the activity (ledger ``fund_recovery``) and credits
    the fund. Idempotent per payment; returns None when nothing is outstanding.
    """
    key = f"fund.recovery.payment.{payment.pk}"
    # One query tells both whether this payment's recovery is already booked (it carries
    # the invoice's id) and what is still outstanding on the invoice: most payments find
    # nothing advanced and stop here.
    state = FundMovement.objects.filter(invoice_id=invoice.pk).aggregate(
        outstanding=Sum("outstanding_change"), booked=Count("pk", filter=Q(idempotency_key=key))
    )
    if state["booked"]:
        return FundMovement.objects.get(idempotency_key=key)
    outstanding = state["outstanding"] or Decimal(0)
    if outstanding <= 0:
        return None
    brought = payment.share_excl_vat
    recovered = min(outstanding, brought)
    if recovered <= 0:
        return None
    currency = invoice.currency
    booked_on = payment.received_on
    rule = {
        "rule": "fund_recovery",
        "invoice": invoice.pk,
        "invoice_number": invoice.number,
        "payment": payment.pk,
        "payment_share_excl_vat": str(brought),
        "outstanding_before": str(outstanding),
        "recovered": str(recovered),
    }
    entry = ledger_post(
        activity=invoice.activity,
        kind=LedgerKind.FUND_RECOVERY,
        amount=Money(-recovered, currency),
        booked_on=booked_on,
        description=f"Guarantee fund recovery on invoice {invoice.number}",
        rule=rule,
        source=payment,
        idempotency_key=f"{key}.ledger",
        created_by=payment.recorded_by,
    )
    movement = FundMovement.objects.create(
        kind=FundMovementKind.RECOVERY,
        amount=recovered,
        outstanding_change=-recovered,
        currency=currency,
        booked_on=booked_on,
        description=f"Recovery on invoice {invoice.number}",
        rule=rule,
        activity=invoice.activity,
        ledger_entry=entry,
        invoice_id=invoice.pk,
        idempotency_key=key,
    )
    audit_record(
        actor=payment.recorded_by,
        action="fund.recovery",
        obj=movement,
        changes={"invoice": invoice.pk, "payment": payment.pk, "amount": str(recovered)},
    )
    return movement


@transaction.atomic
def fund_write_off(
    *, invoice, reason: str, created_by, amount: Money | Decimal | str | None = None
) -> FundMovement:
    """Write off what is outstanding on ``invoice`` (or ``amount`` of it): the client will
    not pay, the member keeps the advance, the fund bears the loss. The fund's available
    money does not change (it left with the advance); the outstanding advances go down.
    ``reason`` is required. Raises ``FundInvalid``, ``FundNothingOutstanding``.
    """
    reason = (reason or "").strip()
    if not reason:
        raise FundInvalid(extra={"fields": {"reason": [_("A write-off needs a reason.")]}})
    currency = current_partner().currency
    _lock_fund()
    invoice = _lock_invoice(invoice)
    outstanding = fund_outstanding_for_invoice(invoice_id=invoice.pk)
    if outstanding <= 0:
        raise FundNothingOutstanding(extra={"invoice": invoice.pk})
    value = outstanding if amount is None else _money(amount, currency).amount
    if value <= 0 or value > outstanding:
        raise FundInvalid(
            extra={
                "fields": {
                    "amount": [
                        _("Between 0 and the outstanding %(outstanding)s.")
                        % {"outstanding": outstanding}
                    ]
                }
            }
        )
    movement = FundMovement.objects.create(
        kind=FundMovementKind.WRITE_OFF,
        amount=0,
        outstanding_change=-value,
        currency=currency,
        booked_on=timezone.localdate(),
        description=f"Write-off on invoice {invoice.number}",
        rule={
            "rule": "fund_write_off",
            "invoice": invoice.pk,
            "invoice_number": invoice.number,
            "outstanding_before": str(outstanding),
            "written_off": str(value),
        },
        activity=invoice.activity,
        invoice_id=invoice.pk,
        reason=reason,
        created_by=saved_user(created_by),
    )
    audit_record(
        actor=created_by,
        action="fund.write_off",
        obj=movement,
        changes={"invoice": invoice.pk, "amount": str(value), "reason": reason},
    )
    return movement
