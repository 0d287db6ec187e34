"""Payroll and guarantee fund."""
