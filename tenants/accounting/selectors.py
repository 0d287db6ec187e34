"""Reading the journal of a period (``journal.journal_lines``) with checks on the period."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from tenants.accounting.exceptions import ExportInvalid
from tenants.accounting.journal import NumberedLine, journal_lines

MAX_PERIOD_DAYS = 5 * 366


def journal_for_period(*, start: dt.date, end: dt.date) -> list[NumberedLine]:
    """The journal of ``start``..``end`` (inclusive). Raises ``ExportInvalid`` for an
    empty or overlong period (at most five years)."""
    if end < start:
        raise ExportInvalid(extra={"fields": {"to": [_("On or after 'from'.")]}})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ExportInvalid(extra={"fields": {"to": [_("A period of at most five years.")]}})
    return journal_lines(start=start, end=end)
