"""Payments: a client's payment credits the activity, takes the cooperative's fee and
feeds (or is recovered by) the guarantee fund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.accounts.acting import saved_user
from common.money import Money, round_amount
from tenants.audit.services import audit_diff, audit_record, audit_snapshot
from tenants.invoicing.exceptions import InvoiceStateInvalid, OverpaymentRefused, invalid_field
from tenants.invoicing.models import Invoice, Payment
from tenants.invoicing.selectors import invoice_for_update
from tenants.invoicing.services.pricing import amount_text
from tenants.invoicing.totals import money_parse
from tenants.members.services import ledger_post
from tenants.partner_settings.selectors import fee_rate
from tenants.payroll.services import fund_feed_from_fee, fund_recover_for_invoice

FEE_RULE_SOURCE = "partner settings fee rate"


def _payment_share_excl_vat(invoice: Invoice, amount: Decimal) -> Decimal:
    """The part of ``amount`` excluding VAT: pro rata of the invoice's net totals (after
    credit notes), rounded; the payment that settles the invoice takes the remainder, so
    the shares always add up to the invoice's net total excluding VAT."""
    net_incl = invoice.total_incl_vat - invoice.amount_credited
    net_excl = invoice.total_excl_vat - invoice.credited_excl_vat
    if amount == invoice.amount_due:
        return net_excl - invoice.collected_excl_vat
    return round_amount(amount * net_excl / net_incl, invoice.currency)


@transaction.atomic
def invoice_payment_record(
    *, invoice: Invoice, amount: Any, received_on: dt.date, recorded_by
) -> Payment:
    """Record a client's payment of ``amount`` (decimal string or Decimal, in the invoice's
    currency, at most its digits) received on ``received_on``.

    Then, all in this transaction: credit the activity's ledger with the payment's share
    excluding VAT (kind ``turnover_collected``); take the cooperative's fee on that share
    at ``fee_rate(on=received_on)`` (kind ``fee``, negative, ``rule`` naming rate, base and
    source); feed the guarantee fund from the fee; recover any fund advance on the
    invoice; set the status (``partly_paid`` or ``paid``); audit.

    Raises ``InvoiceStateInvalid`` (draft or cancelled invoice), ``OverpaymentRefused``
    (more than ``amount_due``; nothing is changed), ``InvoicingInvalid`` (bad amount or
    date).
    """
    invoice = invoice_for_update(pk=invoice.pk, related=("activity",))
    if invoice.status not in (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID):
        raise InvoiceStateInvalid(
            _("A payment can be recorded only on an issued, unpaid invoice (this one is %(s)s).")
            % {"s": invoice.get_status_display()},
            {"status": invoice.status},
        )
    amount = money_parse(amount, currency=invoice.currency, field="amount")
    if amount <= 0:
        raise invalid_field("amount", _("A payment is positive."))
    if not isinstance(received_on, dt.date):
        raise invalid_field("date", _("A date is required."))
    if received_on > timezone.localdate():
        raise invalid_field("date", _("A payment cannot be received in the future."))
    if received_on < invoice.issue_date:
        raise invalid_field("date", _("The payment date is before the invoice's issue date."))
    if amount > invoice.amount_due:
        due = amount_text(invoice.amount_due, invoice.currency)
        raise OverpaymentRefused(
            _("The payment of %(amount)s is more than the %(due)s still due on %(number)s.")
            % {"amount": amount, "due": due, "number": invoice.number},
            {"fields": {"amount": [_("At most %(due)s.") % {"due": due}]}, "amount_due": due},
        )
    before = audit_snapshot(invoice, ["status", "amount_paid", "amount_due"])
    share = _payment_share_excl_vat(invoice, amount)
    rate = fee_rate(on=received_on)
    fee = round_amount(share * rate, invoice.currency)
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        currency=invoice.currency,
        received_on=received_on,
        share_excl_vat=share,
        fee_rate=rate,
        fee_amount=fee,
        recorded_by=saved_user(recorded_by),
    )
    activity = invoice.activity
    if share:
        ledger_post(
            activity=activity,
            kind="turnover_collected",
            amount=Money(share, invoice.currency),
            booked_on=received_on,
            description=_("Payment of invoice %(number)s") % {"number": invoice.number},
            rule={
                "rule": "turnover_collected",
                "payment": str(amount),
                "base": "payment × total excluding VAT / total including VAT",
                "invoice_total_excl_vat": str(invoice.total_excl_vat - invoice.credited_excl_vat),
                "invoice_total_incl_vat": str(invoice.total_incl_vat - invoice.amount_credited),
            },
            source=payment,
            idempotency_key=f"invoicing.payment.{payment.pk}.turnover",
            created_by=saved_user(recorded_by),
        )
    if fee:
        fee_entry = ledger_post(
            activity=activity,
            kind="fee",
            amount=Money(-fee, invoice.currency),
            booked_on=received_on,
            description=_("Cooperative fee on payment of invoice %(number)s")
            % {"number": invoice.number},
            rule={
                "rule": "fee",
                "rate": str(rate),
                "base": str(share),
                "currency": invoice.currency,
                "on": received_on.isoformat(),
                "source": FEE_RULE_SOURCE,
                "rounding": "half-up to the currency's minor unit",
            },
            source=payment,
            idempotency_key=f"invoicing.payment.{payment.pk}.fee",
            created_by=saved_user(recorded_by),
        )
        fund_feed_from_fee(fee_entry=fee_entry)
    invoice.amount_paid += amount
    invoice.collected_excl_vat += share
    invoice.amount_due = invoice.total_incl_vat - invoice.amount_paid - invoice.amount_credited
    invoice.status = Invoice.Status.PAID if invoice.amount_due == 0 else Invoice.Status.PARTLY_PAID
    invoice.save(
        update_fields=["amount_paid", "collected_excl_vat", "amount_due", "status", "updated_at"]
    )
    fund_recover_for_invoice(invoice=invoice, payment=payment)
    audit_record(
        actor=recorded_by,
        action="invoice.payment",
        obj=invoice,
        changes={
            **audit_diff(before, audit_snapshot(invoice, ["status", "amount_paid", "amount_due"])),
            "payment": payment.pk,
            "amount": amount,
            "received_on": received_on,
            "share_excl_vat": share,
            "fee_rate": rate,
            "fee": fee,
        },
    )
    return payment
