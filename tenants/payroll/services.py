"""Payroll services. The guarantee fund's live in ``tenants.payroll.fund`` and are
re-exported here (invoicing imports them from this module)."""

from tenants.payroll.fund import (
    fund_advance,
    fund_feed_from_fee,
    fund_recover_for_invoice,
    fund_write_off,
)

__all__ = ["fund_advance", "fund_feed_from_fee", "fund_recover_for_invoice", "fund_write_off"]
