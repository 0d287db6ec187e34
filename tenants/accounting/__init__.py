"""Accounting export."""
