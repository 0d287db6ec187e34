"""Audit trail."""
