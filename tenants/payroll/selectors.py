"""Payroll selectors. The guarantee fund's live in ``tenants.payroll.fund``."""

from tenants.payroll.fund import (
    fund_advance_limit,
    fund_balance,
    fund_eligible_invoices,
    fund_movements,
    fund_outstanding,
    fund_outstanding_for_invoice,
)

__all__ = [
    "fund_advance_limit",
    "fund_balance",
    "fund_eligible_invoices",
    "fund_movements",
    "fund_outstanding",
    "fund_outstanding_for_invoice",
]
