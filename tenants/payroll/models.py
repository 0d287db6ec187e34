"""Payroll models. The guarantee fund's models are in ``fund_models`` (imported here so
that Django finds them); contracts and pay will join this module."""

from tenants.payroll.fund_models import FundMovement, FundMovementKind

__all__ = ["FundMovement", "FundMovementKind"]
