"""Shared inputs of the labour-law API tests."""

from __future__ import annotations

MARCH_2025 = {"period_start": "2025-03-01", "period_end": "2025-03-31"}
