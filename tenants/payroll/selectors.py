"""Reading the guarantee fund: its movements, balance, outstanding advances, and the
invoices it may advance on.

Invoices belong to ``tenants.invoicing``: the fund reads them only through
``tenants.invoicing.selectors`` (never its models), so payroll depends on invoicing and
not the other way round for reads (see docs/architecture.md, "Dependencies between
apps").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from common.money import Money, round_amount
from common.tenancy import current_partner
from tenants.invoicing.selectors import INVOICE_UNPAID_STATUSES, invoice_list_unpaid_due_by
from tenants.partner_settings.selectors import partner_settings_get
from tenants.payroll.fund_models import FundMovement


def fund_movements() -> QuerySet[FundMovement]:
    """Every movement, in booking order."""
    return FundMovement.objects.select_related("activity", "created_by").order_by("booked_on", "id")


def _sum(qs, field: str) -> Decimal:
    return qs.aggregate(total=Sum(field))["total"] or Decimal(0)


def fund_balance() -> Money:
    """Money available to the fund: the sum of every movement's ``amount``."""
    currency = current_partner().currency
    return Money(round_amount(_sum(FundMovement.objects.all(), "amount"), currency), currency)


def fund_outstanding() -> Money:
    """Advances not yet recovered nor written off: the sum of ``outstanding_change``."""
    currency = current_partner().currency
    total = _sum(FundMovement.objects.all(), "outstanding_change")
    return Money(round_amount(total, currency), currency)


def fund_outstanding_for_invoice(*, invoice_id: int) -> Decimal:
    """Advances still outstanding on one invoice (Decimal, partner currency)."""
    return _sum(FundMovement.objects.filter(invoice_id=invoice_id), "outstanding_change")


def invoice_unpaid_excl_vat(invoice) -> Decimal:
    """What the activity would still receive from ``invoice`` if the client paid in full."""
    return invoice.total_excl_vat - invoice.credited_excl_vat - invoice.collected_excl_vat


def fund_advance_limit(*, invoice, on: dt.date | None = None) -> Decimal:
    """The most the fund may advance on ``invoice`` on ``on`` (default today): 0 unless the
    invoice is issued or partly paid and overdue by the partner's ``fund_overdue_days``;
    else its unpaid amount excluding VAT less the advances already outstanding on it."""
    on = on or timezone.localdate()
    if invoice.status not in INVOICE_UNPAID_STATUSES or invoice.due_date is None:
        return Decimal(0)
    days = partner_settings_get().fund_overdue_days
    if (on - invoice.due_date).days < days:
        return Decimal(0)
    limit = invoice_unpaid_excl_vat(invoice) - fund_outstanding_for_invoice(invoice_id=invoice.pk)
    return max(limit, Decimal(0))


def fund_eligible_invoices(*, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Invoices the fund may advance on today, with the most it may advance on each."""
    on = on or timezone.localdate()
    days = partner_settings_get().fund_overdue_days
    candidates = invoice_list_unpaid_due_by(due_by=on - dt.timedelta(days=days))
    rows = []
    for invoice in candidates:
        limit = fund_advance_limit(invoice=invoice, on=on)
        if limit > 0:
            rows.append({"invoice": invoice, "max_advance": limit})
    return rows
